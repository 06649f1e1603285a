import type { IncomingMessage } from 'node:http';

export interface LogLine { service: string; container: string; stream: 'stdout' | 'stderr'; time: string; text: string }

/**
 * One container's log as lines: the stdcopy frames a non-TTY container's log comes in
 * (8-byte headers: stream, 0, 0, 0, big-endian length) or raw bytes for a TTY, each line
 * starting with Docker's RFC 3339 timestamp.
 */
export async function readLogLines(res: IncomingMessage, tty: boolean, who: { service: string; container: string }): Promise<LogLine[]> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const data = Buffer.concat(chunks);
  const parts: Array<{ stream: LogLine['stream']; text: string }> = [];
  if (tty) parts.push({ stream: 'stdout', text: data.toString('utf8') });
  else {
    for (let off = 0; off + 8 <= data.length;) {
      const len = data.readUInt32BE(off + 4);
      parts.push({ stream: data[off] === 2 ? 'stderr' : 'stdout', text: data.subarray(off + 8, off + 8 + len).toString('utf8') });
      off += 8 + len;
    }
  }
  const out: LogLine[] = [];
  for (const p of parts) {
    for (const line of p.text.split('\n')) {
      if (!line) continue;
      const space = line.indexOf(' ');
      out.push({ ...who, stream: p.stream, time: space > 0 ? line.slice(0, space) : '', text: space > 0 ? line.slice(space + 1) : line });
    }
  }
  return out;
}

/** Lines of several containers in time order (RFC 3339 with nanoseconds sorts as text only when the widths match, so by parsed time then text). */
export function mergeLogLines(lists: LogLine[][]): LogLine[] {
  const key = (l: LogLine): string => {
    const m = /^(.*?)(?:\.(\d+))?Z$/.exec(l.time);
    return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}` : l.time;
  };
  return lists.flat().map((l) => ({ l, k: key(l) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.l);
}
