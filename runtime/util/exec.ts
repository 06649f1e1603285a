import { spawn, type SpawnOptions } from 'node:child_process';
import { UnavailableError } from '../errors.ts';

export interface RunResult { code: number; stdout: string; stderr: string }

/**
 * Run a helper binary (runc, mount, iptables…) without a shell and collect its output.
 * Rejects with context when it cannot start or, unless allowFail, exits non-zero.
 */
export function run(file: string, args: readonly string[], opts: SpawnOptions & { input?: string | Buffer; allowFail?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new UnavailableError(`cannot run ${file}: ${e.message}`, { cause: e })));
    child.on('close', (code, signal) => {
      const res = { code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if (res.code !== 0 && !opts.allowFail) {
        reject(new UnavailableError(`${file} ${args.join(' ')} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`));
      } else resolve(res);
    });
    child.stdin!.on('error', () => { /* the child may exit before reading its input */ });
    child.stdin!.end(opts.input ?? '');
  });
}
