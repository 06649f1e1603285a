import type { MemoryFigure } from '../lib/memory.ts';

/** One engine under test: where its Docker API answers and what it costs. */
export interface Engine {
  name: 'wharf' | 'dockerd' | 'podman';
  /** The engine's Docker API socket. */
  sock: string;
  /** DOCKER_CONFIG for the CLI: private, so no credential or context of the host is used. */
  cliConfig: string;
  /** The engine's own processes: daemon(s) and per-container monitors/shims. */
  memory(): Promise<MemoryFigure>;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** The bench's own directory; each engine makes its private data under it. */
  dir: string;
  /** `127.0.0.1:port` of the bench's registry, reachable over plain HTTP. */
  registry: string;
}
