import type { ServerResponse } from 'node:http';
import { errorAnswer } from './errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Answers an error with its status and `{"message"}` body; server faults are logged. Once the
 * headers are out, cutting the connection is the only way left to say the answer is incomplete.
 */
export function sendError(res: ServerResponse, err: unknown, context: string, headers: Record<string, string> = {}): void {
  const answer = errorAnswer(err);
  // A 501 is a limit of this engine, not a fault worth logging.
  if (answer.status >= 500 && answer.status !== 501) console.error(`wharf: ${context}: ${err instanceof Error && err.stack ? err.stack : answer.body.message}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A 304 has no body (RFC 9110 §15.4.5).
  sendJson(res, answer.status, answer.status === 304 ? undefined : answer.body, { ...headers, ...answer.headers });
}
