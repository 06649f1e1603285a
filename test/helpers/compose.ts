/** Debian's docker-compose 1.29, run against one Wharf socket for one project. */
import { spawn } from 'node:child_process';

export interface ComposeResult { code: number; stdout: string; stderr: string }

export function runCompose(socket: string, project: string, cwd: string, args: string[]): Promise<ComposeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker-compose', ['-p', project, ...args], {
      cwd, env: { ...process.env, DOCKER_HOST: `unix://${socket}`, COMPOSE_INTERACTIVE_NO_CLI: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}
