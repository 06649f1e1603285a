import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineConfig } from '../config.ts';
import { EventBus } from '../events/bus.ts';
import { openDatabase, type DB } from '../metadata/db.ts';
import { ImageMetadata } from '../metadata/images.ts';
import { SnapshotMetadata } from '../metadata/snapshots.ts';
import { ContainerMetadata } from '../metadata/containers.ts';
import { ImageTagTimes } from '../metadata/image-tag-times.ts';
import { ContentStore } from '../content/store.ts';
import { OverlaySnapshotter } from '../snapshots/overlay.ts';
import { ImageStore } from '../images/store.ts';
import { LayerUnpacker } from '../diff/unpacker.ts';
import { TaskService } from '../tasks/service.ts';
import { ContainerContext } from '../containers/context.ts';
import { ContainerService } from '../containers/service.ts';
import { ContainerOps } from '../containers/ops.ts';
import { HealthMonitor } from '../health/monitor.ts';
import { containerDiff } from '../containers/diff.ts';
import type { ContainerRecord, ContainerState } from '../containers/types.ts';
import { ImageService } from '../imageops/service.ts';
import { VolumeService } from '../volumes/service.ts';
import { NetworkService } from '../network/service.ts';
import { BuildService } from '../build/service.ts';
import { BuildImages } from '../build/images.ts';
import { HintsStore } from '../build/hints-store.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { newId } from '../util/ids.ts';
import { SystemService } from './system.ts';
import { HttpClient } from '../registry/http.ts';
import { Distribution } from '../registry/distribution.ts';
import { ContainerUsage } from '../containers/usage.ts';
import { UsageMetadata } from '../metadata/usage.ts';
import { TreeWalker } from '../util/workers/pool.ts';
import type { Engine } from '../index.ts';

/**
 * The composition root: builds every service once, bottom layer first, hands each its
 * dependencies at construction, then runs boot recovery. No module-level state: every engine
 * is independent.
 */
export async function createEngine(config: EngineConfig): Promise<Engine> {
  await mkdir(config.root, { recursive: true, mode: 0o711 });
  await mkdir(config.runRoot, { recursive: true, mode: 0o711 });
  const db: DB = openDatabase(join(config.root, 'wharf.db'));
  try {
    const events = new EventBus();
    const content = new ContentStore(join(config.root, 'content'));
    await content.init();
    const snapshotMeta = new SnapshotMetadata(db);
    const snapshots = new OverlaySnapshotter(join(config.root, 'snapshots'), snapshotMeta);
    // An unpack interrupted by a crash leaves an active `extract-` snapshot: never referenced.
    for (const s of snapshotMeta.all()) if (s.key.startsWith('extract-')) snapshotMeta.delete(s.key);
    await snapshots.init();
    const imageStore = new ImageStore(new ImageMetadata(db), content, events);
    const unpacker = new LayerUnpacker(content, snapshots);
    const tasks = new TaskService(config.runRoot, config.runtime, config.conmon, () => undefined);
    await tasks.init();
    const containerMeta = new ContainerMetadata<ContainerRecord, ContainerState>(db);
    const volumes = new VolumeService(join(config.root, 'volumes'), db, events, () => containerMeta.all());
    await volumes.init();
    const networks = new NetworkService(db, events, () => containerMeta.all(), { runRoot: config.runRoot, cniPath: config.cniPath, bridgeName: config.bridgeName, bridgeSubnet: config.bridgeSubnet });
    await networks.init();
    await mkdir(join(config.root, 'containers'), { recursive: true, mode: 0o710 });
    const ctx = new ContainerContext(containerMeta, imageStore, snapshots, tasks, volumes, events, join(config.root, 'containers'), config.cgroupParent, networks.networking, config.logConfig);
    const containers = new ContainerService(ctx);
    const health = new HealthMonitor(ctx);
    const containerOps = new ContainerOps(ctx, content, unpacker);
    // Docker's certs.d first, then Wharf's own beside its data.
    const http = new HttpClient({ certDirs: ['/etc/docker/certs.d', join(config.root, 'certs.d')] });
    const distribution = new Distribution({ content, store: imageStore, events, http, unpack: (layers, diffIDs, live) => unpacker.unpack(layers, diffIDs, live) });
    const images = new ImageService({
      store: imageStore, content, snapshots, unpacker, events, distribution,
      tagTimes: new ImageTagTimes(db),
      usedBy: (id) => containerMeta.imageUsers(id),
      http,
    });
    const builds = new BuildService({
      containers, containerOps, store: imageStore, db, images: new BuildImages(imageStore, content, unpacker),
      tag: (id, ref) => images.tag(id, ref), diff: (id) => containerDiff(ctx, id),
      hints: new HintsStore(db, imageStore, content),
      http, pull: async (ref, emit, creds) => (await images.pull(ref, { creds }, (m) => emit({ ...m }))).id,
    });
    const system = new SystemService(config, await engineId(config.root), containers, imageStore);
    if (config.seedBusybox) await images.ensureBusybox();
    const walker = new TreeWalker();
    const usage = new ContainerUsage({
      usage: new UsageMetadata(db), find: (id) => containerMeta.get(id), all: () => containerMeta.all(),
      upperDir: (key) => snapshots.upperDir(key), volumePath: (name) => volumes.mountpointOf(name), events, walker,
    });
    usage.start();
    // Networks first: their recovery removes namespaces and reservations nobody holds, so it
    // must run before the restart monitor starts containers again (and attaches new ones).
    await networks.recover();
    // Health follows container events from here on, so the restarts of boot recovery are probed too.
    health.start();
    await containers.recover();
    health.resume();
    return {
      config, images, containers, containerOps, builds, volumes, networks, system, events, usage,
      async close() {
        usage.stop();
        await health.close();
        await walker.close();
        await containers.close();
        tasks.close();
        await http.close();
        await networks.close();
        db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

/** A stable id for this engine's data root (Docker's `ID` in /info). */
async function engineId(root: string): Promise<string> {
  const p = join(root, 'engine-id');
  try {
    return (await readFile(p, 'utf8')).trim();
  } catch {
    const id = newId();
    await writeFileAtomic(p, `${id}\n`);
    return id;
  }
}
