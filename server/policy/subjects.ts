import type { ExecConfig, HostConfig, UpdateRequest, VolumeCreateOptions } from '../../runtime/index.ts';

/**
 * What a verb is about to execute, as the engine's own typed options, handed to the policy
 * right before the engine is called. One kind per verb that carries host-reaching input.
 */
export type PolicySubject =
  | { kind: 'container.create'; hostConfig: HostConfig; networks: string[] }
  | { kind: 'container.update'; update: UpdateRequest }
  | { kind: 'exec.create'; container: string; config: ExecConfig }
  | { kind: 'exec.start'; exec: string }
  | { kind: 'volume.create'; options: VolumeCreateOptions }
  | { kind: 'network.create'; driver: string; options: Record<string, string> }
  | { kind: 'network.connect'; network: string }
  | { kind: 'image.commit'; container: string; changes: string[] }
  | { kind: 'image.import'; source: string };
