/** Samples Wharf's event-loop delay (its /api/health) while a figure is measured. */
import http from 'node:http';

interface Delay { p50: number; p99: number; max: number }

function health(base: string): Promise<Delay> {
  return new Promise((resolve, reject) => {
    http.get(`${base}/api/health`, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => {
        try { resolve((JSON.parse(body) as { eventLoopDelay: Delay }).eventLoopDelay); } catch (err) { reject(err as Error); }
      });
    }).on('error', reject);
  });
}

/** Runs `fn` while polling; returns its result and the worst p99 and max delay seen (ms). */
export async function duringLoop<T>(base: string, fn: () => Promise<T>): Promise<{ result: T; p99: number; max: number }> {
  let polling = true;
  let p99 = 0;
  let max = 0;
  const poller = (async () => {
    while (polling) {
      const d = await health(base).catch(() => undefined);
      if (d) { p99 = Math.max(p99, d.p99); max = Math.max(max, d.max); }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    return { result: await fn(), p99, max };
  } finally {
    polling = false;
    await poller;
  }
}
