/** The stock `docker` CLI pointed at one engine, timed from spawn to exit. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../engines/types.ts';

export interface CliResult { ms: number; out: string; bytes: number; lines: number }

export interface CliOptions {
  env?: Record<string, string>;
  /** Count stdout's bytes and lines instead of keeping it (for streams of a million lines). */
  countOnly?: boolean;
  input?: Buffer;
}

export function docker(engine: Engine, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('docker', args, {
      env: { ...process.env, DOCKER_HOST: `unix://${engine.sock}`, DOCKER_CONFIG: engine.cliConfig, ...opts.env },
      stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    let out = '';
    let err = '';
    let bytes = 0;
    let lines = 0;
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
      if (!opts.countOnly) out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${engine.name}: docker ${args.join(' ')} exited ${code}: ${err.trim().slice(-400)}`));
      else resolve({ ms, out, bytes, lines });
    });
    if (opts.input) child.stdin!.end(opts.input);
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `fn` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
