/**
 * An engine in its own process for network recovery tests: with WHARF_TEST_CONFIG (JSON), it
 * starts `web` (httpd, -p WHARF_TEST_PORT:80 on the default bridge) and `named` (on a user network
 * with WHARF_TEST_SUBNET), prints `ready <json ids>` and waits to be killed.
 */
import { createEngine, type EngineConfig } from '../../runtime/index.ts';

const config = JSON.parse(process.env.WHARF_TEST_CONFIG ?? '{}') as EngineConfig;
const engine = await createEngine(config);
const httpd = ['sh', '-c', 'mkdir -p /www && echo survived > /www/index.html && exec httpd -f -p 80 -h /www'];
const web = await engine.containers.create({ name: 'web', config: { Image: 'busybox', Cmd: httpd }, hostConfig: { PortBindings: { '80/tcp': [{ HostPort: process.env.WHARF_TEST_PORT ?? '' }] }, NetworkMode: 'bridge' } });
await engine.containers.start(web.id);
await engine.networks.create({ Name: 'kept', IPAM: { Config: [{ Subnet: process.env.WHARF_TEST_SUBNET ?? '' }] } });
const named = await engine.containers.create({ name: 'named', config: { Image: 'busybox', Cmd: httpd }, hostConfig: { NetworkMode: 'kept' } });
await engine.containers.start(named.id);
process.stdout.write(`ready ${JSON.stringify([web.id, named.id])}\n`);
setInterval(() => undefined, 1 << 30);
