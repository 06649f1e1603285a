import type { Readable } from 'node:stream';

/** Everything a child writes to one of its pipes, once the pipe has closed. */
export function drain(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (b: Buffer) => chunks.push(b));
    stream.on('error', () => undefined);
    stream.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}

/**
 * A monitor's first line on its sync pipe and what it wrote to stderr until then; if the pipe
 * closes first, undefined and all it wrote to stderr. Both pipes are closed after: the
 * monitor lives on without us.
 */
export function firstLine(sync: Readable, stderr: Readable): Promise<{ line?: string; stderr: string }> {
  return new Promise((resolve) => {
    let err = '';
    let buf = '';
    let done = false;
    const finish = (line: string | undefined): void => {
      if (done) return;
      done = true;
      sync.destroy();
      stderr.destroy();
      resolve({ line, stderr: err });
    };
    stderr.on('data', (d: Buffer) => { err += d.toString(); });
    stderr.on('error', () => undefined);
    sync.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish(buf.slice(0, nl));
    });
    // Closed without a report: the monitor failed, and what it said is on stderr, which its exit closes.
    const failed = (): void => { if (!stderr.closed) stderr.once('close', () => finish(undefined)); else finish(undefined); };
    sync.on('error', failed);
    sync.on('end', failed);
  });
}
