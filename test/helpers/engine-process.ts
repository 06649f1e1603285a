/**
 * An engine in its own process, for tests that kill the process that owns the containers.
 * Config comes as JSON in WHARF_TEST_CONFIG; with WHARF_TEST_RUN=N it starts N containers
 * that print a counter (or run the shell script in WHARF_TEST_SCRIPT), then prints `ready <json ids>`
 * and waits to be killed. With WHARF_TEST_HEALTH=1 they have a health check (1s), and each
 * `health_status` event is printed.
 */
import { createEngine, type EngineConfig } from '../../runtime/index.ts';

const config = JSON.parse(process.env.WHARF_TEST_CONFIG ?? '{}') as EngineConfig;
const engine = await createEngine(config);
const ids: string[] = [];
const health = process.env.WHARF_TEST_HEALTH === '1' ? { Test: ['CMD-SHELL', 'echo probed'], Interval: 1e9 } : undefined;
if (health) engine.events.subscribe((e) => { if (e.Action.startsWith('health_status')) process.stdout.write(`${e.Action} ${e.Actor.ID}\n`); });
for (let i = 0; i < Number(process.env.WHARF_TEST_RUN ?? 0); i++) {
  const script = process.env.WHARF_TEST_SCRIPT ?? 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done';
  const c = await engine.containers.create({ name: `survivor-${i}`, config: { Image: 'busybox', Cmd: ['sh', '-c', script], Healthcheck: health } });
  await engine.containers.start(c.id);
  ids.push(c.id);
}
process.stdout.write(`ready ${JSON.stringify(ids)}\n`);
setInterval(() => undefined, 1 << 30);
