import type { HttpClient } from '../../runtime/index.ts';
import { readLimited } from './read-limited.ts';

export const MAX_LOGO = 512 * 1024;
const MAX_CACHED = 200;
const FETCH_TIMEOUT_MS = 10_000;
const IMAGE_TYPES = /^image\/(?:png|jpeg|gif|webp|svg\+xml|x-icon|vnd\.microsoft\.icon)$/;

export interface Logo { type: string; body: Buffer }

/**
 * Remote template logos fetched by the server, so the browser never contacts a catalogue's
 * image host (no hot-linking, no leak of who looks at the catalogue). Only images, at most
 * MAX_LOGO bytes; answers are kept in a small cache. Failures resolve to undefined: the
 * caller shows the fallback logo.
 */
export class LogoProxy {
  private readonly cache = new Map<string, Promise<Logo | undefined>>();

  constructor(private readonly http: HttpClient) {}

  get(url: string): Promise<Logo | undefined> {
    let hit = this.cache.get(url);
    if (!hit) {
      hit = this.download(url);
      // Oldest first out: a Map iterates in insertion order.
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(url, hit);
      // A failure is retried on a later request rather than remembered.
      void hit.then((logo) => { if (!logo) this.cache.delete(url); });
    }
    return hit;
  }

  private async download(url: string): Promise<Logo | undefined> {
    try {
      const res = await this.http.fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { Accept: 'image/*' } });
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!res.ok || !IMAGE_TYPES.test(type)) {
        await res.body?.cancel();
        return undefined;
      }
      return { type, body: await readLimited(res, MAX_LOGO) };
    } catch {
      return undefined;
    }
  }
}
