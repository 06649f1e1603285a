import { ConflictError, FailedPreconditionError } from '../../runtime/index.ts';
import type { StackPlan, StackProgress } from '../protocol/index.ts';
import { createBody, serviceImage } from './create-body.ts';
import type { StackEngine } from './engine.ts';
import * as L from './labels.ts';
import type { Project } from './model.ts';
import { startOrder } from './plan.ts';

export type Progress = (p: StackProgress) => void;

export interface UpOptions {
  /** Only these services' steps are applied (scale); all when absent. */
  services?: ReadonlySet<string>;
  /** How long a dependency may take to become healthy or complete. */
  dependencyTimeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Applies a plan: networks and volumes first, images pulled, then services in dependency
 * order, each waiting for the conditions of what it depends on (started, healthy,
 * completed successfully) before its containers are created or recreated and started.
 */
export async function applyPlan(engine: StackEngine, project: Project, plan: StackPlan, progress: Progress, opts: UpOptions): Promise<void> {
  const wanted = (service: string): boolean => !opts.services || opts.services.has(service);
  for (const n of plan.networks.filter((x) => x.action === 'create')) {
    const [key, spec] = Object.entries(project.networks).find(([, s]) => s.name === n.name)!;
    progress({ kind: 'network', target: n.name, message: 'creating' });
    await engine.createNetwork({
      Name: n.name,
      Driver: spec.driver ?? 'bridge',
      Internal: spec.internal,
      CheckDuplicate: true,
      Labels: { ...spec.labels, [L.PROJECT]: project.name, [L.NETWORK]: key },
      ...(spec.subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: spec.subnet }] } } : {}),
    });
  }
  for (const v of plan.volumes.filter((x) => x.action === 'create')) {
    const [key, spec] = Object.entries(project.volumes).find(([, s]) => s.name === v.name)!;
    progress({ kind: 'volume', target: v.name, message: 'creating' });
    await engine.createVolume({ Name: v.name, Driver: spec.driver ?? 'local', Labels: { ...spec.labels, [L.PROJECT]: project.name, [L.VOLUME]: key } });
  }
  for (const img of plan.images) {
    if (img.action === 'present') continue;
    const users = Object.entries(project.services).filter(([s, { spec }]) => wanted(s) && serviceImage(project.name, s, spec) === img.image);
    if (users.length === 0) continue;
    if (img.action === 'build') {
      progress({ kind: 'build', target: img.image, message: 'building' });
      await engine.build(img.image, users[0]![1].spec.build!, (text) => progress({ kind: 'build', target: img.image, message: text }));
      continue;
    }
    progress({ kind: 'pull', target: img.image, message: 'pulling' });
    await engine.pull(img.image, (line) => progress({ kind: 'pull', target: img.image, message: [line.id, line.status, line.progress].filter(Boolean).join(' ') }));
  }
  for (const step of plan.containers.filter((s) => s.action === 'remove' && wanted(s.service))) {
    progress({ kind: 'remove', target: step.container, message: 'removing' });
    await engine.remove(step.container);
  }
  for (const service of startOrder(project)) {
    if (!wanted(service)) continue;
    const steps = plan.containers.filter((s) => s.service === service && s.action !== 'remove');
    if (steps.every((s) => s.action === 'keep')) continue;
    for (const [dep, { condition }] of Object.entries(project.services[service]!.spec.depends_on)) {
      await waitFor(engine, project.name, dep, condition, progress, opts);
    }
    for (const step of steps) {
      if (step.action === 'keep') continue;
      // Compose v1 named replicas `<project>_<service>_<n>`, v2 and Wharf `<project>-<service>-<n>`.
      const n = Number(step.container.split(/[-_]/).pop());
      let target = step.container;
      if (step.action === 'recreate') {
        progress({ kind: 'recreate', target: step.container, message: `recreating: ${(step.changes ?? []).join(', ')}` });
        await engine.remove(step.container);
      }
      if (step.action === 'create' || step.action === 'recreate') {
        const { name, body } = createBody(project, service, n);
        if (step.action === 'create') progress({ kind: 'create', target: name, message: 'creating' });
        await engine.create(name, body);
        target = name;
      }
      progress({ kind: 'start', target, message: 'starting' });
      await engine.start(target);
    }
  }
  progress({ kind: 'done', target: project.name, message: 'up to date' });
}

const POLL_MS = 250;

/** Waits until every container of `service` meets `condition`, as Docker reports their state. */
async function waitFor(engine: StackEngine, project: string, service: string, condition: string, progress: Progress, opts: UpOptions): Promise<void> {
  if (condition === 'service_started') return;
  const ids = (await engine.existing(project)).filter((c) => c.service === service).map((c) => c.id);
  if (ids.length === 0) throw new FailedPreconditionError(`service ${service} has no container to wait for`);
  progress({ kind: 'wait', target: service, message: condition === 'service_healthy' ? 'waiting until healthy' : 'waiting until it completes' });
  const deadline = Date.now() + opts.dependencyTimeoutMs;
  for (;;) {
    opts.signal?.throwIfAborted();
    const states = await Promise.all(ids.map((id) => engine.inspect(id)));
    if (condition === 'service_healthy') {
      if (states.some((s) => !s.State.Health)) throw new FailedPreconditionError(`service ${service} has no healthcheck, so it cannot become healthy`);
      if (states.some((s) => s.State.Health!.Status === 'unhealthy')) throw new ConflictError(`dependency failed to start: container for service ${service} is unhealthy`);
      if (states.every((s) => s.State.Health!.Status === 'healthy')) break;
    } else {
      const failed = states.find((s) => s.State.Status === 'exited' && s.State.ExitCode !== 0);
      if (failed) throw new ConflictError(`service ${service} didn't complete successfully: exit ${failed.State.ExitCode}`);
      if (states.every((s) => s.State.Status === 'exited')) break;
    }
    if (Date.now() > deadline) throw new ConflictError(`service ${service} did not become ${condition === 'service_healthy' ? 'healthy' : 'complete'} in time`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  progress({ kind: 'healthy', target: service, message: condition === 'service_healthy' ? 'healthy' : 'completed' });
}
