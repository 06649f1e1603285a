import type { ProgressMessage } from './docker-types.ts';

/**
 * Reads a Docker JSON progress stream (pull, build, load): one JSON object per line.
 * Calls `onMessage` for each; resolves when the stream ends, with the error message the
 * stream reported (Docker answers 200 and reports failures inside the stream).
 */
export async function readJsonStream(res: Response, onMessage: (msg: ProgressMessage) => void): Promise<string | undefined> {
  if (!res.body) return undefined;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  let failure: string | undefined;
  const handle = (line: string) => {
    const text = line.trim();
    if (text === '') return;
    let msg: ProgressMessage;
    try {
      msg = JSON.parse(text) as ProgressMessage;
    } catch {
      // Not JSON (a plain-text answer from an older engine): show it as build output.
      msg = { stream: `${text}\n` };
    }
    if (msg.error || msg.errorDetail?.message) failure = msg.error ?? msg.errorDetail?.message;
    onMessage(msg);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(handle);
  }
  handle(pending);
  return failure;
}

export interface LayerProgress {
  id: string;
  status: string;
  current?: number;
  total?: number;
}

/** Folds pull messages into per-layer progress, in the order layers first appeared. */
export function foldPullProgress(layers: Map<string, LayerProgress>, msg: ProgressMessage): Map<string, LayerProgress> {
  if (!msg.id || !msg.status) return layers;
  // Messages with an id that are about the image as a whole ("Pulling from library/x") are not layers.
  if (/^Pulling from /.test(msg.status)) return layers;
  const next = new Map(layers);
  const prev = next.get(msg.id);
  next.set(msg.id, {
    id: msg.id,
    status: msg.status,
    current: msg.progressDetail?.current ?? (/complete|already exists/i.test(msg.status) ? prev?.total : prev?.current),
    total: msg.progressDetail?.total ?? prev?.total,
  });
  return next;
}
