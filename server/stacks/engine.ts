import type { IncomingMessage } from 'node:http';
import { buildImage, type RawRequest } from './build.ts';
import type { CreateBody } from './create-body.ts';
import type { BuildSpec } from './model.ts';
import * as L from './labels.ts';
import type { ExistingContainer } from './plan.ts';

/** The two calls of `server/environments/client.ts` DockerClient a stack needs. */
export interface DockerApi {
  json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  stream(opts: { method: string; path: string; body?: unknown; headers?: Record<string, string> }): Promise<IncomingMessage>;
  request: RawRequest;
}

export interface ContainerSummary { Id: string; Names: string[]; Image: string; State: string; Status: string; Labels: Record<string, string> }
export interface ContainerInspect { Id: string; Name: string; State: { Status: string; Running: boolean; ExitCode: number; Health?: { Status: string } } }

const q = encodeURIComponent;
const labelFilter = (...labels: string[]): string => q(JSON.stringify({ label: labels }));

/**
 * Stacks drive an environment through its Docker Engine API, as every dashboard action does
 * (and as compose tools do): one vocabulary for the embedded engine and remote ones.
 */
export class StackEngine {
  constructor(private readonly docker: DockerApi) {}

  /** Every container carrying compose's project label, of one project or of all. */
  containers(project?: string): Promise<ContainerSummary[]> {
    const filter = project === undefined ? labelFilter(L.PROJECT) : labelFilter(`${L.PROJECT}=${project}`);
    return this.docker.json<ContainerSummary[]>('GET', `/containers/json?all=1&filters=${filter}`);
  }

  async existing(project: string): Promise<ExistingContainer[]> {
    const list = await this.containers(project);
    return list.filter((c) => c.Labels[L.ONEOFF] !== 'True').map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      service: c.Labels[L.SERVICE] ?? '',
      number: Number(c.Labels[L.NUMBER] ?? 0),
      hash: c.Labels[L.CONFIG_HASH] ?? '',
      running: c.State === 'running' || c.State === 'restarting',
      config: parseConfig(c.Labels[L.SERVICE_CONFIG]),
    }));
  }

  inspect(id: string): Promise<ContainerInspect> {
    return this.docker.json<ContainerInspect>('GET', `/containers/${q(id)}/json`);
  }

  async networkNames(): Promise<Set<string>> {
    return new Set((await this.docker.json<Array<{ Name: string }>>('GET', '/networks')).map((n) => n.Name));
  }

  async projectNetworks(project: string): Promise<string[]> {
    const list = await this.docker.json<Array<{ Name: string }>>('GET', `/networks?filters=${labelFilter(`${L.PROJECT}=${project}`)}`);
    return list.map((n) => n.Name);
  }

  async volumeNames(): Promise<Set<string>> {
    const { Volumes } = await this.docker.json<{ Volumes: Array<{ Name: string }> | null }>('GET', '/volumes');
    return new Set((Volumes ?? []).map((v) => v.Name));
  }

  async projectVolumes(project: string): Promise<string[]> {
    const { Volumes } = await this.docker.json<{ Volumes: Array<{ Name: string }> | null }>('GET', `/volumes?filters=${labelFilter(`${L.PROJECT}=${project}`)}`);
    return (Volumes ?? []).map((v) => v.Name);
  }

  async imagePresent(ref: string): Promise<boolean> {
    try {
      await this.docker.json('GET', `/images/${ref.split('/').map(q).join('/')}/json`);
      return true;
    } catch (err) {
      if ((err as { status?: number }).status === 404) return false;
      throw err;
    }
  }

  createNetwork(body: object): Promise<unknown> { return this.docker.json('POST', '/networks/create', body); }
  removeNetwork(name: string): Promise<unknown> { return this.docker.json('DELETE', `/networks/${q(name)}`); }
  createVolume(body: object): Promise<unknown> { return this.docker.json('POST', '/volumes/create', body); }
  removeVolume(name: string): Promise<unknown> { return this.docker.json('DELETE', `/volumes/${q(name)}`); }

  /** Streams `/images/create` progress lines to `onLine`; an error inside the stream fails the pull. */
  async pull(ref: string, onLine: (line: { status?: string; progress?: string; id?: string }) => void): Promise<void> {
    const res = await this.docker.stream({ method: 'POST', path: `/images/create?fromImage=${q(ref)}` });
    let rest = '';
    for await (const chunk of res) {
      const lines = (rest + (chunk as Buffer).toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        const msg = JSON.parse(line) as { status?: string; error?: string; errorDetail?: { message?: string } };
        if (msg.error || msg.errorDetail) throw new Error(`pull ${ref}: ${msg.errorDetail?.message ?? msg.error}`);
        onLine(msg);
      }
    }
  }

  build(tag: string, spec: BuildSpec, onLine: (text: string) => void): Promise<void> {
    return buildImage((opts) => this.docker.request(opts), tag, spec, onLine);
  }

  async create(name: string, body: CreateBody): Promise<string> {
    return (await this.docker.json<{ Id: string }>('POST', `/containers/create?name=${q(name)}`, body)).Id;
  }

  start(id: string): Promise<unknown> { return this.docker.json('POST', `/containers/${q(id)}/start`); }
  stop(id: string): Promise<unknown> { return this.docker.json('POST', `/containers/${q(id)}/stop`); }
  restart(id: string): Promise<unknown> { return this.docker.json('POST', `/containers/${q(id)}/restart`); }
  remove(id: string): Promise<unknown> { return this.docker.json('DELETE', `/containers/${q(id)}?force=1&v=0`); }

  /** A container's log as stdcopy frames (non-TTY) or raw bytes, with timestamps. */
  logs(id: string, tail: number): Promise<IncomingMessage> {
    return this.docker.stream({ method: 'GET', path: `/containers/${q(id)}/logs?stdout=1&stderr=1&timestamps=1&tail=${tail}` });
  }
}

function parseConfig(label: string | undefined): ExistingContainer['config'] {
  if (!label) return undefined;
  try {
    return JSON.parse(label) as ExistingContainer['config'];
  } catch {
    return undefined;
  }
}
