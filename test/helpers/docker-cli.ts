import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult { code: number; stdout: string; stderr: string }
export interface CliOptions { input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number }

/**
 * Runs the stock docker CLI against the engine on `socket`, with a config directory of the
 * test's own (`configDir`) so no login or context of the machine leaks in. A CLI that hangs
 * is killed after `timeoutMs` and reported with code -1.
 */
export function runDocker(socket: string, configDir: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, {
      env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: configDir, DOCKER_CLI_HINTS: 'false', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

export const cliConfigDir = (runRoot: string): string => join(runRoot, 'docker-config');
