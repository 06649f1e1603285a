'use client';

import { useEffect, useRef, useState } from 'react';
import type { LogLine, LogsSubscribe } from '@/server/protocol/index.ts';
import { containers } from '../api/docker.ts';
import { useRealtime } from '../realtime/provider.tsx';
import { LogBuffer } from './buffer.ts';

export interface LogOptions {
  tail: number;
  /** Unix seconds, or undefined for the whole log. */
  since?: number;
  stdout: boolean;
  stderr: boolean;
}

export interface LogStream {
  buffer: LogBuffer;
  /** Bumps (at most once per frame) when lines arrive. */
  version: number;
  state: 'connecting' | 'streaming' | 'ended' | 'error';
  message?: string;
  /** Subscribe again from the last line received (after the stream ended). */
  resume(): void;
}

/** RFC 3339 with nanoseconds, padded so that string order is time order. */
function sortKey(time: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(time);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}` : time;
}

/**
 * Follows a container's log over the socket into a bounded buffer. Timestamps are always
 * requested (the viewer shows or hides them) because a reconnect resumes from the last one.
 */
export function useLogStream(env: string, container: string, options: LogOptions, capacity: number): LogStream {
  const realtime = useRealtime();
  const [buffer] = useState(() => new LogBuffer(capacity));
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<LogStream['state']>('connecting');
  const [message, setMessage] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const resumeFrom = useRef<string | undefined>(undefined);
  const { tail, since, stdout, stderr } = options;

  useEffect(() => {
    if (!realtime) return;
    const resuming = resumeFrom.current !== undefined;
    if (!resuming) buffer.clear();
    resumeFrom.current = undefined;
    setVersion((v) => v + 1);
    setState('connecting');
    setMessage(undefined);
    let frame = 0;
    const bump = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    };
    // After a reconnect or a resume the server sends from the start of the last line's second;
    // `resume` skips what we already have, including lines that share the last line's timestamp.
    let resume: { key: string; skip: number } | undefined;
    const request = (): LogsSubscribe => {
      const last = buffer.last();
      if (last?.time) {
        let skip = 0;
        for (let i = buffer.size - 1; i >= 0 && buffer.at(i)!.time === last.time; i--) skip += 1;
        resume = { key: sortKey(last.time), skip };
        return { env, container, tail: -1, since: Math.floor(Date.parse(last.time) / 1000), timestamps: true, stdout, stderr };
      }
      resume = undefined;
      return { env, container, tail, since, timestamps: true, stdout, stderr };
    };
    const unsubscribe = realtime.subscribe('logs', request, {
      onSubscribed: () => setState('streaming'),
      onMessage: ({ lines }) => {
        let fresh: LogLine[] = lines;
        if (resume) {
          fresh = [];
          for (const line of lines) {
            if (resume) {
              const key = sortKey(line.time);
              if (key < resume.key) continue;
              if (key === resume.key && resume.skip > 0) {
                resume.skip -= 1;
                continue;
              }
              resume = undefined;
            }
            fresh.push(line);
          }
        }
        if (fresh.length === 0) return;
        buffer.append(fresh);
        bump();
      },
      onEnd: (reason) => {
        setState('ended');
        setMessage(reason);
      },
      onError: (msg) => {
        setState('error');
        setMessage(msg);
      },
    });
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [realtime, buffer, env, container, tail, since, stdout, stderr, generation]);

  const resume = (): void => {
    resumeFrom.current = buffer.last()?.time ?? '';
    setGeneration((g) => g + 1);
  };

  // The engine ends a follow at once when the container is not running (as dockerd does), so
  // a viewer opened on a stopped container would stay empty after a start. While ended, it
  // waits for the container's start and follows again. The state is checked once the event
  // subscription is in place, so a start in between is not missed either.
  useEffect(() => {
    if (!realtime || state !== 'ended') return;
    let done = false;
    const again = (): void => {
      if (done) return;
      done = true;
      resume();
    };
    const unsubscribe = realtime.subscribe('events', () => ({ env, filters: { type: ['container'], event: ['start'], container: [container] } }), {
      onMessage: () => again(),
      onSubscribed: () => {
        containers.inspect(env, container).then((c) => { if (c.State?.Running) again(); }, () => undefined);
      },
    });
    return () => {
      done = true;
      unsubscribe();
    };
    // `resume` only bumps state; the subscription depends on what it watches.
  }, [realtime, state, env, container]);

  return { buffer, version, state, message, resume };
}
