import type { Role } from '../protocol/index.ts';
import {
  createBodyRefusal, execBodyRefusal, networkBodyRefusal, updateBodyRefusal, volumeBodyRefusal, type Refusal,
} from './host-access.ts';

export interface Denial { message: string; field?: string }

/**
 * What a role may do on an environment's Docker API. `inspect` asks the proxy to parse the
 * JSON body and check it before the request goes on.
 */
export type DockerDecision =
  | { allow: true; inspect?: (body: unknown) => Refusal | undefined }
  | { allow: false; denial: Denial };

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The Docker API path as the engine will route it: percent-decoded segments, without empty
 * or `.` segments and without the `/v1.xx` prefix, so no spelling of a path escapes the rules.
 * Undefined for paths no engine should see (`..`, bad escapes).
 */
export function normaliseDockerPath(rawPath: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '..' || segment.includes('/..') || segment.includes('../')) return undefined;
    if (segment === '' || segment === '.') continue;
    segments.push(segment);
  }
  if (segments[0] && /^v\d+(\.\d+)?$/.test(segments[0])) segments.shift();
  return segments;
}

export function authorizeDocker(role: Role, method: string, rawPath: string, query: URLSearchParams): DockerDecision {
  const segments = normaliseDockerPath(rawPath);
  if (!segments) return { allow: false, denial: { message: `malformed Docker API path: ${rawPath}` } };
  if (role === 'admin') return { allow: true };
  if (READ_METHODS.has(method)) return { allow: true };
  if (role === 'readonly') return { allow: false, denial: { message: 'readonly users can only view (GET and HEAD requests)' } };
  return operatorDecision(method, segments, query);
}

function operatorDecision(method: string, s: string[], query: URLSearchParams): DockerDecision {
  const [top, second, third] = s;
  const deny = (message: string, field?: string): DockerDecision => ({ allow: false, denial: { message, field } });
  if (top === 'plugins') return deny('operators cannot manage plugins (they run with host privileges)');
  if (method !== 'POST') return { allow: true };
  if (top === 'containers' && second === 'create' && s.length === 2) return { allow: true, inspect: createBodyRefusal };
  if (top === 'containers' && third === 'update' && s.length === 3) return { allow: true, inspect: updateBodyRefusal };
  if (top === 'containers' && third === 'exec' && s.length === 3) return { allow: true, inspect: execBodyRefusal };
  if (top === 'volumes' && second === 'create' && s.length === 2) return { allow: true, inspect: volumeBodyRefusal };
  if (top === 'networks' && second === 'create' && s.length === 2) return { allow: true, inspect: networkBodyRefusal };
  if (top === 'networks' && second?.toLowerCase() === 'host' && third === 'connect') return deny(`operators cannot use the host's namespaces (network host)`);
  if (top === 'build') {
    for (const [key, value] of query) {
      if (key.toLowerCase() === 'networkmode' && value.toLowerCase() === 'host') return deny(`operators cannot use the host's namespaces (networkmode)`, 'networkmode');
    }
  }
  return { allow: true };
}
