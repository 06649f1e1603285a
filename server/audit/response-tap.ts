import type { ServerResponse } from 'node:http';

/** What a tapped answer says: the parsed JSON of its first bytes, if they are JSON. */
export interface Tapped { text: string; json: unknown }

/**
 * Keeps the first bytes of an answer that is streamed through (the Docker API proxy writes
 * the engine's answer itself): error answers always, for their `{"message"}`, and success
 * answers only when `keepSuccess` (a creation's small `{"Id"}` or `{"Name"}`), never logs,
 * file contents or exported images.
 */
export function tapBody(res: ServerResponse, keepSuccess: boolean, limit = 2048): () => Tapped {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown) => {
    if ((res.statusCode < 400 && !keepSuccess) || size >= limit || (typeof chunk !== 'string' && !(chunk instanceof Uint8Array))) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const part = bytes.subarray(0, limit - size);
    chunks.push(Buffer.from(part));
    size += part.length;
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as typeof res.end;
  return () => {
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return { text, json: JSON.parse(text) as unknown };
    } catch {
      // Not JSON, or cut at the limit.
      return { text, json: undefined };
    }
  };
}

/** The message of an error answer: its `{"message"}`, or its text. */
export function errorMessage({ text, json }: Tapped): string {
  const message = (json as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : text.trim();
}

/** The name or id a creation answered with (`{"Name"}` of a volume, `{"Id"}` of a network). */
export function createdName({ json }: Tapped): string | null {
  const body = json as { Name?: unknown; Id?: unknown } | undefined;
  if (typeof body?.Name === 'string') return body.Name;
  return typeof body?.Id === 'string' ? body.Id : null;
}
