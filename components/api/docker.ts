import { dockerPath } from '@/server/protocol/index.ts';
import { api, apiResponse, type RequestOptions } from './client.ts';
import type {
  ContainerInspect, ContainerSummary, HistoryItem, ImageInspect, ImageSummary, Network, SystemDf,
  SystemInfo, SystemVersion, TopResult, Volume,
} from './docker-types.ts';

/** `?a=1&b=x` from the defined entries only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A request to one environment's Docker Engine API through the dashboard's proxy. */
export function docker<T>(env: string, path: string, options?: RequestOptions): Promise<T> {
  return api<T>(dockerPath(env, path), options);
}

export function dockerResponse(env: string, path: string, options?: RequestOptions): Promise<Response> {
  return apiResponse(dockerPath(env, path), options);
}

const id = encodeURIComponent;

export const system = {
  info: (env: string) => docker<SystemInfo>(env, '/info'),
  version: (env: string) => docker<SystemVersion>(env, '/version'),
  df: (env: string) => docker<SystemDf>(env, '/system/df'),
};

export type ContainerAction = 'start' | 'stop' | 'kill' | 'restart' | 'pause' | 'unpause';

export const containers = {
  list: (env: string) => docker<ContainerSummary[]>(env, '/containers/json?all=1'),
  inspect: (env: string, ref: string) => docker<ContainerInspect>(env, `/containers/${id(ref)}/json`),
  action: (env: string, ref: string, action: ContainerAction) =>
    docker<void>(env, `/containers/${id(ref)}/${action}`, { method: 'POST' }),
  remove: (env: string, ref: string, opts: { force?: boolean; volumes?: boolean } = {}) =>
    docker<void>(env, `/containers/${id(ref)}${query({ force: opts.force, v: opts.volumes })}`, { method: 'DELETE' }),
  create: (env: string, name: string | undefined, body: unknown) =>
    docker<{ Id: string; Warnings?: string[] }>(env, `/containers/create${query({ name })}`, { method: 'POST', body }),
  rename: (env: string, ref: string, name: string) =>
    docker<void>(env, `/containers/${id(ref)}/rename${query({ name })}`, { method: 'POST' }),
  update: (env: string, ref: string, body: unknown) =>
    docker<{ Warnings?: string[] }>(env, `/containers/${id(ref)}/update`, { method: 'POST', body }),
  top: (env: string, ref: string) => docker<TopResult>(env, `/containers/${id(ref)}/top`),
  commit: (env: string, ref: string, opts: { repo: string; tag?: string; comment?: string; author?: string; pause?: boolean }) =>
    docker<{ Id: string }>(env, `/commit${query({ container: ref, ...opts })}`, { method: 'POST', body: {} }),
  logs: (env: string, ref: string, opts: { timestamps?: boolean; tail?: string }) =>
    dockerResponse(env, `/containers/${id(ref)}/logs${query({ stdout: true, stderr: true, timestamps: opts.timestamps, tail: opts.tail })}`),
};

export const images = {
  list: (env: string) => docker<ImageSummary[]>(env, '/images/json'),
  inspect: (env: string, ref: string) => docker<ImageInspect>(env, `/images/${id(ref)}/json`),
  history: (env: string, ref: string) => docker<HistoryItem[]>(env, `/images/${id(ref)}/history`),
  remove: (env: string, ref: string, force: boolean) =>
    docker<{ Untagged?: string; Deleted?: string }[]>(env, `/images/${id(ref)}${query({ force })}`, { method: 'DELETE' }),
  tag: (env: string, ref: string, repo: string, tag: string) =>
    docker<void>(env, `/images/${id(ref)}/tag${query({ repo, tag })}`, { method: 'POST' }),
  /** The progress stream of a pull; read it with readJsonStream. */
  pull: (env: string, fromImage: string, tag: string | undefined, signal?: AbortSignal) =>
    dockerResponse(env, `/images/create${query({ fromImage, tag })}`, { method: 'POST', signal }),
  build: (env: string, context: Blob, opts: { t?: string; dockerfile?: string; nocache?: boolean; pull?: boolean; target?: string; buildargs?: string }, signal?: AbortSignal) =>
    dockerResponse(env, `/build${query(opts)}`, { method: 'POST', body: context, headers: { 'Content-Type': 'application/x-tar' }, signal }),
  /** POST /images/{name}/push; `auth` is the X-Registry-Auth value (base64 JSON), `{}` for none. */
  push: (env: string, name: string, tag: string | undefined, auth: string, signal?: AbortSignal) =>
    dockerResponse(env, `/images/${id(name)}/push${query({ tag })}`, { method: 'POST', headers: { 'X-Registry-Auth': auth }, signal }),
  load: (env: string, archive: Blob) =>
    dockerResponse(env, '/images/load', { method: 'POST', body: archive, headers: { 'Content-Type': 'application/x-tar' } }),
  /** GET /images/get with several names as a same-origin URL the browser downloads with its session cookie: one archive, shared layers once. */
  saveUrl: (env: string, names: readonly string[]) => dockerPath(env, `/images/get?${names.map((n) => `names=${id(n)}`).join('&')}`),
  /** POST /images/prune: unused images, only untagged ones unless `all`; `until` and labels narrow it. */
  prune: (env: string, opts: { all: boolean; until?: string; labels?: readonly string[]; notLabels?: readonly string[] }) => {
    const filters: Record<string, string[]> = { dangling: [opts.all ? 'false' : 'true'] };
    if (opts.until) filters.until = [opts.until];
    if (opts.labels?.length) filters.label = [...opts.labels];
    if (opts.notLabels?.length) filters['label!'] = [...opts.notLabels];
    return docker<{ ImagesDeleted?: { Untagged?: string; Deleted?: string }[] | null; SpaceReclaimed: number }>(env, `/images/prune${query({ filters: JSON.stringify(filters) })}`, { method: 'POST' });
  },
  /**
   * POST /images/create?fromSrc=…: `docker import` of a filesystem tar, uploaded (a File) or
   * fetched by the engine (a URL). The progress stream; read it with readJsonStream.
   */
  importFs: (env: string, source: Blob | string, opts: { repo?: string; tag?: string; message?: string; changes: readonly string[] }) => {
    const search = new URLSearchParams({ fromSrc: typeof source === 'string' ? source : '-' });
    if (opts.repo) search.set('repo', opts.repo);
    if (opts.tag) search.set('tag', opts.tag);
    if (opts.message) search.set('message', opts.message);
    for (const c of opts.changes) search.append('changes', c);
    return dockerResponse(env, `/images/create?${search.toString()}`, {
      method: 'POST', ...(typeof source === 'string' ? {} : { body: source, headers: { 'Content-Type': 'application/x-tar' } }),
    });
  },
};

export const volumes = {
  list: (env: string) => docker<{ Volumes: Volume[] | null; Warnings?: string[] | null }>(env, '/volumes'),
  inspect: (env: string, name: string) => docker<Volume>(env, `/volumes/${id(name)}`),
  create: (env: string, body: { Name?: string; Driver?: string; DriverOpts?: Record<string, string>; Labels?: Record<string, string> }) =>
    docker<Volume>(env, '/volumes/create', { method: 'POST', body }),
  remove: (env: string, name: string, force: boolean) => docker<void>(env, `/volumes/${id(name)}${query({ force })}`, { method: 'DELETE' }),
  prune: (env: string) => docker<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>(env, `/volumes/prune${query({ filters: JSON.stringify({ all: ['true'] }) })}`, { method: 'POST' }),
};

export const networks = {
  list: (env: string) => docker<Network[]>(env, '/networks'),
  inspect: (env: string, ref: string) => docker<Network>(env, `/networks/${id(ref)}`),
  create: (env: string, body: unknown) => docker<{ Id: string; Warning?: string }>(env, '/networks/create', { method: 'POST', body }),
  remove: (env: string, ref: string) => docker<void>(env, `/networks/${id(ref)}`, { method: 'DELETE' }),
  connect: (env: string, ref: string, container: string) => docker<void>(env, `/networks/${id(ref)}/connect`, { method: 'POST', body: { Container: container } }),
  disconnect: (env: string, ref: string, container: string, force: boolean) =>
    docker<void>(env, `/networks/${id(ref)}/disconnect`, { method: 'POST', body: { Container: container, Force: force } }),
};
