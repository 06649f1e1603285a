import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { firstLine } from './streams.ts';
import { exitCode, type Exit, type LiveProcess, type SpawnFailure, type SpawnRequest, type Spawned, type StartRequest, type StdioPipes } from './types.ts';

/**
 * Starts one helper process through Node's child_process, which forks the engine: where the
 * posix_spawn addon is not available, and on worker threads, which cannot watch SIGCHLD.
 */
export function nodeSpawn(r: SpawnRequest): Promise<Spawned> {
  return r.syncLine ? untilSyncLine(r) : untilExit(r);
}

function failed(e: NodeJS.ErrnoException): SpawnFailure {
  return { error: { message: e.message, code: e.code } };
}

function untilExit(r: SpawnRequest): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(r.file, r.args, { cwd: r.cwd, env: r.env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve(failed(e)));
    child.on('close', (code, signal) => {
      resolve({ code: exitCode(code, signal), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin!.on('error', () => { /* the child may exit before reading its input */ });
    child.stdin!.end(r.input ?? '');
  });
}

function untilSyncLine(r: SpawnRequest): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(r.file, r.args, { cwd: r.cwd, env: r.env as NodeJS.ProcessEnv, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached: true });
    child.unref();
    child.on('error', (e) => resolve(failed(e)));
    child.on('spawn', () => void firstLine(child.stdio[3] as Readable, child.stderr!).then((f) => resolve({ code: 0, stdout: '', ...f })));
  });
}

/** A started process with the pipes asked for, as PosixSpawner.start gives one. */
export function nodeStart(r: StartRequest, stdio: StdioPipes): Promise<LiveProcess | SpawnFailure> {
  return new Promise((resolve) => {
    const out = stdio.output ? 'pipe' : 'ignore';
    const child = spawn(r.file, r.args, { cwd: r.cwd, env: r.env as NodeJS.ProcessEnv, stdio: [stdio.stdin ? 'pipe' : 'ignore', out, out] });
    const exited = new Promise<Exit>((res) => child.on('exit', (code, signal) => res({ code, signal: signal ? constants.signals[signal] : null })));
    child.stdin?.on('error', () => undefined);
    child.on('error', (e) => resolve(failed(e)));
    child.on('spawn', () => resolve({ pid: child.pid!, stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, exited }));
  });
}
