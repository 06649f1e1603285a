import type { ServerResponse } from 'node:http';

/**
 * Keeps the first bytes of an error answer that is streamed through (the Docker API proxy
 * writes the engine's answer itself), so that its `{"message"}` can be recorded. Success
 * answers are not kept: they may be logs, file contents or exported images.
 */
export function tapErrorBody(res: ServerResponse, limit = 2048): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown) => {
    if (res.statusCode < 400 || size >= limit || (typeof chunk !== 'string' && !(chunk instanceof Uint8Array))) return;
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
      const body = JSON.parse(text) as { message?: unknown };
      if (typeof body.message === 'string') return body.message;
    } catch {
      // Not JSON (or cut at the limit): the text itself says what went wrong.
    }
    return text.trim();
  };
}
