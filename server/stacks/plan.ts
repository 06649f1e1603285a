import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../../runtime/index.ts';
import type { PlanStep, StackPlan } from '../protocol/index.ts';
import { canonicalJson, changedSettings, configHash, hashedConfig } from './hash.ts';
import { containerName } from './labels.ts';
import type { Project, ServiceSpec } from './model.ts';
import { serviceImage } from './create-body.ts';

/** A container of the project as the engine lists it (found by compose's labels). */
export interface ExistingContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  hash: string;
  running: boolean;
  /** The configuration recorded at create (Wharf's label); absent for containers made by other tools. */
  config?: Partial<ServiceSpec>;
}

export interface EngineState {
  containers: ExistingContainer[];
  networks: ReadonlySet<string>;
  volumes: ReadonlySet<string>;
  images: ReadonlySet<string>;
}

/**
 * What `up` will do, computed before anything changes: each replica is created, recreated
 * (its config hash differs; the settings that differ are named), started (stopped but
 * current), kept, or removed (replicas beyond the count, services no longer in the file).
 */
export function computePlan(project: Project, state: EngineState, replicasOverride: Record<string, number> = {}): StackPlan {
  const steps: PlanStep[] = [];
  for (const [service, { spec, replicas }] of Object.entries(project.services)) {
    const want = replicasOverride[service] ?? replicas;
    const hash = configHash(spec);
    const mine = state.containers.filter((c) => c.service === service).sort((a, b) => a.number - b.number);
    const byNumber = new Map(mine.map((c) => [c.number, c]));
    for (let n = 1; n <= want; n++) {
      const c = byNumber.get(n);
      const name = containerName(project.name, service, n);
      if (!c) steps.push({ action: 'create', service, container: name });
      else if (c.hash !== hash) steps.push({ action: 'recreate', service, container: c.name, changes: c.config ? changedSettings(c.config, hashedConfig(spec)) : ['configuration (config hash changed)'] });
      else steps.push({ action: c.running ? 'keep' : 'start', service, container: c.name });
    }
    for (const c of mine) if (c.number > want || c.number < 1) steps.push({ action: 'remove', service, container: c.name });
  }
  for (const c of state.containers) {
    if (!project.services[c.service]) steps.push({ action: 'remove', service: c.service, container: c.name, changes: ['orphan: the service is no longer in the file'] });
  }
  const networks = Object.values(project.networks).filter((n) => !n.external).map((n) => ({ name: n.name, action: state.networks.has(n.name) ? 'keep' as const : 'create' as const }));
  const volumes = Object.values(project.volumes).filter((v) => !v.external).map((v) => ({ name: v.name, action: state.volumes.has(v.name) ? 'keep' as const : 'create' as const }));
  const images = [...new Map(Object.entries(project.services).map(([service, { spec }]) => {
    const image = serviceImage(project.name, service, spec);
    return [image, { image, action: state.images.has(image) ? 'present' as const : spec.build ? 'build' as const : 'pull' as const }];
  })).values()];
  const body = { project: project.name, networks, volumes, images, containers: steps };
  return { ...body, digest: createHash('sha256').update(canonicalJson({ body, hashes: Object.values(project.services).map((s) => configHash(s.spec)) })).digest('hex').slice(0, 16) };
}

/** Services in an order where each comes after what it depends on (compose's start order). */
export function startOrder(project: Project): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (seen.has(name)) return;
    if (path.includes(name)) throw new InvalidArgumentError(`services.${name}.depends_on: dependency cycle ${[...path, name].join(' -> ')}`, { field: `services.${name}.depends_on` });
    for (const dep of Object.keys(project.services[name]?.spec.depends_on ?? {})) visit(dep, [...path, name]);
    seen.add(name);
    out.push(name);
  };
  for (const name of Object.keys(project.services)) visit(name, []);
  return out;
}
