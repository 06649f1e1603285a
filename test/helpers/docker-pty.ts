import { join } from 'node:path';
import * as pty from 'node-pty';
import type { ApiHarness } from './api-server.ts';
import { eventually, typeUntil } from './engine.ts';

/** The docker CLI on a pseudo-terminal (for -it and attach to a TTY), against a test server. */
export interface DockerTerminal {
  /** Everything the CLI wrote to the terminal so far. */
  readonly screen: string;
  write(keys: string): void;
  /** Wait until the screen matches. */
  expect(what: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Type a line into the container's shell until the screen matches (see typeUntil). */
  type(line: string, what: string | RegExp): Promise<void>;
  /** Type a line (an `exit`) until the CLI has exited; resolves to its exit code. */
  typeToExit(line: string): Promise<number>;
  exited: Promise<number>;
  kill(): void;
}

export function dockerTerminal(h: ApiHarness, args: string[], size = { cols: 100, rows: 30 }): DockerTerminal {
  const term = pty.spawn('docker', args, {
    name: 'xterm', ...size,
    env: { ...process.env, DOCKER_HOST: `unix://${h.socket}`, DOCKER_CONFIG: join(h.config.runRoot, 'docker-config'), DOCKER_CLI_HINTS: 'false' } as Record<string, string>,
  });
  let screen = '';
  term.onData((d) => { screen += d; });
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  let done = false;
  void exited.then(() => { done = true; });
  return {
    get screen() { return screen; },
    write: (keys) => term.write(keys),
    async expect(what, timeoutMs = 20_000) {
      await eventually(() => (typeof what === 'string' ? screen.includes(what) : what.test(screen)), `${String(what)} on the screen (got ${JSON.stringify(screen)})`, timeoutMs);
    },
    type: (line, what) => typeUntil((keys) => term.write(keys), line, () => (typeof what === 'string' ? screen.includes(what) : what.test(screen)), `${String(what)} on the screen (got ${JSON.stringify(screen)})`),
    async typeToExit(line) {
      await typeUntil((keys) => term.write(keys), line, () => done, 'the CLI to exit');
      return exited;
    },
    exited,
    kill() { if (!done) term.kill('SIGKILL'); },
  };
}
