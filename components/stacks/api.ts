import type { StackDetail, StackFiles, StackPlan, StackProblem, StackProgress, StackSummary } from '@/server/protocol/index.ts';
import { api, apiResponse, ApiError } from '../api/client.ts';

const base = (name: string) => `/api/stacks/${encodeURIComponent(name)}`;

/** A save refused for problems in the files: each problem with its line, for the editor. */
export class StackProblemsError extends ApiError {
  constructor(message: string, readonly problems: StackProblem[]) {
    super(400, message);
  }
}

/** PUT/POST answering 400 with `problems` when the files do not load. */
async function withProblems(path: string, method: string, body: unknown): Promise<void> {
  const res = await fetch(path, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
  if (res.ok) return;
  const text = await res.text();
  let parsed: { message?: string; problems?: StackProblem[] } = {};
  try { parsed = JSON.parse(text) as typeof parsed; } catch { /* plain text */ }
  if (parsed.problems?.length) throw new StackProblemsError(parsed.message ?? 'the files have problems', parsed.problems);
  throw new ApiError(res.status, parsed.message ?? (text || `${res.status}`));
}

/** Reads an NDJSON progress stream, handing each line to `onLine` as it arrives. */
async function streamed(path: string, body: unknown, onLine: (p: StackProgress) => void): Promise<void> {
  const res = await apiResponse(path, { method: 'POST', body });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const lines = (rest + value).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line) as StackProgress);
  }
}

export const stacks = {
  list: () => api<StackSummary[]>('/api/stacks'),
  fromTemplate: (id: string) => api<StackFiles & { name: string }>(`/api/stacks/from-template/${encodeURIComponent(id)}`),
  get: (name: string) => api<StackDetail>(base(name)),
  create: (name: string, files: StackFiles) => withProblems('/api/stacks', 'POST', { name, ...files }),
  save: (name: string, files: StackFiles) => withProblems(`${base(name)}/files`, 'PUT', files),
  check: (name: string, files: StackFiles) => api<{ problems: StackProblem[] }>(`${base(name)}/check`, { method: 'POST', body: files }),
  plan: (name: string) => api<StackPlan>(`${base(name)}/plan`),
  up: (name: string, digest: string, onLine: (p: StackProgress) => void) => streamed(`${base(name)}/up`, { plan: digest }, onLine),
  down: (name: string, volumes: boolean, onLine: (p: StackProgress) => void) => streamed(`${base(name)}/down`, { volumes }, onLine),
  scale: (name: string, service: string, replicas: number, onLine: (p: StackProgress) => void) => streamed(`${base(name)}/scale`, { service, replicas }, onLine),
  lifecycle: (name: string, action: 'start' | 'stop' | 'restart') => api(`${base(name)}/${action}`, { method: 'POST' }),
  remove: (name: string, volumes: boolean) => api(`${base(name)}${volumes ? '?volumes=1' : ''}`, { method: 'DELETE' }),
  logs: (name: string, service: string, tail = 200) => api<{ lines: Array<{ service: string; container: string; stream: string; time: string; text: string }> }>(`${base(name)}/logs?tail=${tail}${service ? `&service=${encodeURIComponent(service)}` : ''}`),
};
