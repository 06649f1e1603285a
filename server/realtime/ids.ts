import { randomBytes } from 'node:crypto';

/** Session ids are unguessable, though they only mean something on the socket that opened them. */
export function newSessionId(kind: string): string {
  return `${kind}-${randomBytes(9).toString('base64url')}`;
}
