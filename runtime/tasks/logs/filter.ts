/** Which records a log read wants: by stream and by a time window (both ends inclusive). */
import type { LogStream } from './format.ts';

export interface RecordFilter {
  streams: Record<LogStream, boolean>;
  sinceNs?: bigint;
  untilNs?: bigint;
}

/**
 * `before`/`after` mean outside the time window; since records are time-ordered, a reader
 * moving forward stops at the first `after` and one moving backward at the first `before`.
 */
export type Verdict = 'take' | 'skip' | 'before' | 'after';

export function judge(filter: RecordFilter, stream: LogStream, timeNs: bigint): Verdict {
  if (filter.sinceNs !== undefined && timeNs < filter.sinceNs) return 'before';
  if (filter.untilNs !== undefined && timeNs > filter.untilNs) return 'after';
  return filter.streams[stream] ? 'take' : 'skip';
}
