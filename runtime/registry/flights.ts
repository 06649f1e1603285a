import type { Digest } from '../util/digest.ts';
import { abortError } from './abort.ts';

type OnBytes = (current: number) => void;

interface Flight {
  controller: AbortController;
  done: Promise<boolean>;
  members: number;
  listeners: Set<OnBytes>;
}

/**
 * Single-flight blob downloads: pulls that need the same blob at the same time share one
 * download and all see its progress. A download is cancelled only when every pull waiting
 * for it has gone away, as dockerd keeps a pull going while one client still waits for it.
 */
export class BlobFlights {
  private readonly flights = new Map<Digest, Flight>();

  /**
   * Wait for `digest`, starting `download` unless another pull already is. Resolves true when
   * this flight stored the blob, false when it was already present.
   */
  join(digest: Digest, download: (signal: AbortSignal, onBytes: OnBytes) => Promise<boolean>, signal: AbortSignal | undefined, onBytes?: OnBytes): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    let flight = this.flights.get(digest);
    if (!flight) {
      const controller = new AbortController();
      const listeners = new Set<OnBytes>();
      const done = download(controller.signal, (n) => { for (const l of listeners) l(n); })
        .finally(() => { if (this.flights.get(digest) === flight) this.flights.delete(digest); });
      flight = { controller, done, members: 0, listeners };
      this.flights.set(digest, flight);
    }
    const f = flight;
    const flights = this.flights;
    f.members += 1;
    if (onBytes) f.listeners.add(onBytes);
    return new Promise<boolean>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        signal?.removeEventListener('abort', leave);
        if (onBytes) f.listeners.delete(onBytes);
        f.members -= 1;
        return true;
      };
      function leave(): void {
        if (!settle()) return;
        if (f.members === 0) {
          f.controller.abort(signal?.reason);
          // A pull that comes next starts afresh instead of joining a download being torn down.
          if (flights.get(digest) === f) flights.delete(digest);
        }
        reject(abortError(signal));
      }
      signal?.addEventListener('abort', leave, { once: true });
      f.done.then((v) => { if (settle()) resolve(v); }, (e: unknown) => { if (settle()) reject(e); });
    });
  }
}

/** Counted holds on blobs that pulls in progress rely on, so a failing pull never deletes another's. */
export class Leases {
  private readonly counts = new Map<string, number>();

  acquire(digests: Iterable<string>): () => void {
    const held = [...new Set(digests)];
    for (const d of held) this.counts.set(d, (this.counts.get(d) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const d of held) {
        const n = (this.counts.get(d) ?? 1) - 1;
        if (n <= 0) this.counts.delete(d); else this.counts.set(d, n);
      }
    };
  }

  held(digest: string): boolean {
    return this.counts.has(digest);
  }
}
