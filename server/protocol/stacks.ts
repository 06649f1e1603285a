import { z } from 'zod';

/** Compose stacks: the files, the plan shown before anything changes, and up's progress. */

/** Compose's project names: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export const STACK_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const stackNameSchema = z.string().regex(STACK_NAME, 'must be lowercase letters, digits, "-" or "_", starting with a letter or digit');

/** At most 1 MiB per file: a compose file is text written by people. */
export const stackFilesSchema = z.object({
  compose: z.string().max(1 << 20, 'is larger than 1 MiB'),
  env: z.string().max(1 << 20, 'is larger than 1 MiB').default(''),
});
export type StackFiles = z.infer<typeof stackFilesSchema>;

export const stackCreateSchema = stackFilesSchema.extend({ name: stackNameSchema });

/** A problem in the compose file or `.env`, at its line (1-based). */
export interface StackProblem { file: 'compose' | 'env'; line: number; column: number; path: string; message: string }

export interface StackContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  state: string;
  status: string;
  health?: string;
  image: string;
}

export interface StackSummary {
  name: string;
  /** Made outside Wharf (no folder under the data root): found by compose's project label. */
  external: boolean;
  /** Has a folder under the data root. */
  managed: boolean;
  services: string[];
  running: number;
  containers: number;
}

export interface StackDetail extends StackSummary {
  files?: StackFiles;
  problems: StackProblem[];
  containerList: StackContainer[];
}

export type PlanAction = 'create' | 'recreate' | 'start' | 'keep' | 'remove';

export interface PlanStep {
  action: PlanAction;
  service: string;
  container: string;
  /** For recreate: the settings that changed (or why, when the old configuration is unknown). */
  changes?: string[];
}

export interface StackPlan {
  project: string;
  networks: Array<{ name: string; action: 'create' | 'keep' }>;
  volumes: Array<{ name: string; action: 'create' | 'keep' }>;
  images: Array<{ image: string; action: 'pull' | 'build' | 'present' }>;
  containers: PlanStep[];
  /** The same files give the same plan: up refuses to apply a plan computed from other files. */
  digest: string;
}

export const stackUpSchema = z.object({
  /** The digest of the plan the user confirmed; up refuses if the files or containers changed since. */
  plan: z.string().optional(),
});

export const stackDownSchema = z.object({ volumes: z.boolean().default(false) });
export const stackScaleSchema = z.object({ service: z.string().min(1), replicas: z.number().int().min(0).max(100) });

/** One line of up's (or down's) progress, streamed as NDJSON. */
export interface StackProgress {
  kind: 'network' | 'volume' | 'pull' | 'build' | 'create' | 'recreate' | 'start' | 'wait' | 'healthy' | 'remove' | 'stop' | 'done' | 'error';
  target: string;
  message: string;
}
