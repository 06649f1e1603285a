'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_LOG_TAIL } from '@/server/protocol/index.ts';
import { messageOf } from '../api/client.ts';
import { useToast } from '../ui/toasts.tsx';
import { Button } from '../ui/button.tsx';
import { Checkbox, inputBase, inputClass } from '../ui/field.tsx';
import { DEFAULT_CAPACITY } from './buffer.ts';
import { downloadLog } from './download.ts';
import { LogLineView } from './log-line.tsx';
import { useLogStream, type LogOptions } from './use-log-stream.ts';

const ROW = 18;

/**
 * Live container logs: a bounded buffer rendered through a virtual list, so a container that
 * prints a million lines keeps the tab responsive. Following pauses when the reader scrolls up.
 */
export function LogViewer({ env, container, name, tty }: { env: string; container: string; name: string; tty: boolean }) {
  const toast = useToast();
  const [tailText, setTailText] = useState(String(DEFAULT_LOG_TAIL));
  const [sinceText, setSinceText] = useState('');
  const [options, setOptions] = useState<LogOptions>({ tail: DEFAULT_LOG_TAIL, stdout: true, stderr: true });
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [following, setFollowing] = useState(true);
  const [search, setSearch] = useState('');
  const [onlyMatches, setOnlyMatches] = useState(false);
  const [current, setCurrent] = useState(0);
  const [downloading, setDownloading] = useState(false);
  const stream = useLogStream(env, container, options, DEFAULT_CAPACITY);
  const { buffer, version } = stream;
  const needle = search.trim().toLowerCase();

  // Search hits as sequence numbers, extended as lines arrive instead of rescanning everything.
  const scanned = useRef({ needle: '', upTo: 0, hits: [] as number[] });
  const hits = useMemo(() => {
    const s = scanned.current;
    if (!needle) return [];
    if (s.needle !== needle || s.upTo < buffer.firstSeq || s.upTo > buffer.received) {
      s.needle = needle;
      s.hits = buffer.search(needle);
    } else {
      s.hits = s.hits.filter((seq) => seq >= buffer.firstSeq).concat(buffer.search(needle, s.upTo));
    }
    s.upTo = buffer.received;
    return s.hits;
    // version is in the list because the buffer mutates in place and bumps it.
  }, [needle, buffer, version]);

  const count = onlyMatches && needle ? hits.length : buffer.size;
  const entryAt = (index: number) => (onlyMatches && needle ? buffer.bySeq(hits[index]!) : buffer.at(index));

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 20,
    getItemKey: (index) => entryAt(index)?.seq ?? index,
  });

  useEffect(() => {
    if (following && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [following, count, version, virtualizer]);

  // Scrolling up by hand (wheel, keys, dragging the scrollbar) pauses following.
  const dragging = useRef(false);
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el || !dragging.current) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight > ROW * 2) setFollowing(false);
  };
  const manualScroll = {
    onScroll,
    onWheel: (e: React.WheelEvent) => { if (e.deltaY < 0) setFollowing(false); },
    onKeyDown: (e: React.KeyboardEvent) => { if (['ArrowUp', 'PageUp', 'Home'].includes(e.key)) setFollowing(false); },
    onPointerDown: () => { dragging.current = true; },
    onPointerUp: () => { dragging.current = false; },
  };

  const goToHit = (delta: number) => {
    if (hits.length === 0) return;
    const next = (current + delta + hits.length) % hits.length;
    setCurrent(next);
    setFollowing(false);
    const index = onlyMatches ? next : hits[next]! - buffer.firstSeq;
    virtualizer.scrollToIndex(index, { align: 'center' });
  };

  const apply = () => {
    const tail = tailText.trim() === '' || tailText.trim() === 'all' ? -1 : Number(tailText);
    if (!Number.isInteger(tail) || tail < -1) {
      toast.error('Tail must be a whole number of lines, or "all"');
      return;
    }
    const since = sinceText ? Math.floor(new Date(sinceText).getTime() / 1000) : undefined;
    setOptions((o) => ({ ...o, tail, since }));
    setFollowing(true);
  };

  const download = async () => {
    setDownloading(true);
    try {
      await downloadLog(env, container, name, tty, timestamps);
    } catch (err) {
      toast.error(`Download failed: ${messageOf(err)}`);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-log-viewer>
      <div className="flex flex-wrap items-end gap-2 text-sm">
        <form className="flex items-end gap-2" onSubmit={(e) => { e.preventDefault(); apply(); }}>
          <label className="flex flex-col text-xs text-muted">Tail lines
            <input value={tailText} onChange={(e) => setTailText(e.target.value)} className={`${inputBase} w-24`} aria-label="Tail lines" />
          </label>
          <label className="flex flex-col text-xs text-muted">Since
            <input type="datetime-local" step={1} value={sinceText} onChange={(e) => setSinceText(e.target.value)} className={`${inputBase} w-52`} />
          </label>
          <Button type="submit">Apply</Button>
        </form>
        <Checkbox label="stdout" checked={options.stdout} onChange={(e) => setOptions((o) => ({ ...o, stdout: e.target.checked }))} />
        <Checkbox label="stderr" checked={options.stderr} onChange={(e) => setOptions((o) => ({ ...o, stderr: e.target.checked }))} />
        <Checkbox label="Timestamps" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />
        <Checkbox label="Wrap lines" checked={wrap} onChange={(e) => setWrap(e.target.checked)} />
        <span className="flex-1" />
        <Button onClick={() => setFollowing((f) => !f)} aria-pressed={following} data-follow>{following ? 'Pause following' : 'Resume following'}</Button>
        <Button onClick={download} busy={downloading}>Download</Button>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <input type="search" value={search} onChange={(e) => { setSearch(e.target.value); setCurrent(0); }} placeholder="Search the log…"
          aria-label="Search the log" className={`${inputClass} max-w-xs`} onKeyDown={(e) => { if (e.key === 'Enter') goToHit(e.shiftKey ? -1 : 1); }} data-log-search />
        {needle && <span className="text-xs text-muted" aria-live="polite">{hits.length === 0 ? 'no match' : `${Math.min(current + 1, hits.length)} of ${hits.length}`}</span>}
        <Button size="sm" onClick={() => goToHit(-1)} disabled={hits.length === 0} aria-label="Previous match">↑</Button>
        <Button size="sm" onClick={() => goToHit(1)} disabled={hits.length === 0} aria-label="Next match">↓</Button>
        <Checkbox label="Only matching lines" checked={onlyMatches} onChange={(e) => setOnlyMatches(e.target.checked)} />
        <span className="flex-1" />
        <StreamStatus stream={stream} />
      </div>
      {buffer.dropped > 0 && (
        <p className="rounded-md border border-warning/50 bg-warning/10 px-3 py-1.5 text-xs" data-log-dropped>
          Showing the last {buffer.capacity.toLocaleString()} lines; {buffer.dropped.toLocaleString()} earlier lines were dropped from view to keep the page fast. Download has the whole log.
        </p>
      )}
      <div ref={scrollRef} {...manualScroll} tabIndex={0} aria-label={`Logs of ${name}`} role="log"
        className="relative h-[max(20rem,calc(100vh-19rem))] overflow-auto rounded-md border border-line bg-bg font-mono text-xs leading-[18px]" data-log-scroll>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%', width: wrap ? '100%' : 'max-content' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const entry = entryAt(v.index);
            if (!entry) return null;
            return (
              <div key={v.key} data-index={v.index} ref={wrap ? virtualizer.measureElement : undefined} data-log-line
                className={`absolute left-0 w-full px-3 ${wrap ? 'break-all whitespace-pre-wrap' : 'whitespace-pre'} ${entry.stream === 'stderr' ? 'border-l-2 border-danger/60' : 'border-l-2 border-transparent'} ${needle && hits[current] === entry.seq ? 'bg-highlight/40' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, minHeight: ROW }}>
                <LogLineView entry={entry} needle={needle} timestamps={timestamps} />
              </div>
            );
          })}
        </div>
        {count === 0 && <p className="p-4 text-muted">{stream.state === 'connecting' ? 'Connecting…' : needle && onlyMatches ? 'No line matches.' : 'No log lines yet.'}</p>}
      </div>
    </div>
  );
}

function StreamStatus({ stream }: { stream: ReturnType<typeof useLogStream> }) {
  const lines = `${stream.buffer.size.toLocaleString()} lines`;
  if (stream.state === 'ended') {
    return (
      <span className="flex items-center gap-2 text-xs text-muted" role="status" data-log-state="ended">
        {lines}. The log stream ended{stream.message ? `: ${stream.message}` : ''}; it follows again when the container starts.
        <Button size="sm" onClick={stream.resume}>Follow again</Button>
      </span>
    );
  }
  if (stream.state === 'error') return <span className="text-xs text-danger" role="alert" data-log-state="error">Cannot follow the log: {stream.message}</span>;
  return <span className="text-xs text-muted" role="status" data-log-state={stream.state}>{stream.state === 'connecting' ? 'Connecting…' : `${lines}, live`}</span>;
}
