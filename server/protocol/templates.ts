import { z } from 'zod';

/**
 * Portainer's app template format, versions 2 and 3 (the same fields; v3 adds an integer `id`).
 * Fields Wharf does not know are ignored (zod objects strip them), as Portainer does, so
 * catalogues written for newer versions still load.
 */

/** 1 container, 2 swarm stack, 3 compose stack. */
export const TEMPLATE_TYPES = { container: 1, swarmStack: 2, composeStack: 3 } as const;

const text = z.string();

export const templateEnvSchema = z.object({
  name: text.min(1, 'must name the variable'),
  label: text.optional(),
  description: text.optional(),
  default: text.optional(),
  /** A preset variable is set to its default and not shown in the form. */
  preset: z.boolean().optional(),
  select: z.array(z.object({ text: text, value: text, default: z.boolean().optional() })).min(1, 'must offer at least one option').optional(),
});

export const templateVolumeSchema = z.object({
  container: text.min(1, 'must be a path in the container'),
  bind: text.optional(),
  readonly: z.boolean().optional(),
});

const PORT = /^(?:(?:\d{1,5}(?:-\d{1,5})?):)?\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp))?$/;

const baseTemplate = z.object({
  type: z.union([z.literal(1), z.literal(2), z.literal(3)], { errorMap: () => ({ message: 'must be 1 (container), 2 (swarm stack) or 3 (compose stack)' }) }),
  title: text.min(1, 'must not be empty'),
  description: text.default(''),
  categories: z.array(text).default([]),
  platform: text.optional(),
  logo: text.optional(),
  image: text.optional(),
  name: text.optional(),
  registry: text.optional(),
  command: text.optional(),
  env: z.array(templateEnvSchema).default([]),
  ports: z.array(text.regex(PORT, 'must be [host:]container[/tcp|udp], like 8080:80/tcp')).default([]),
  volumes: z.array(templateVolumeSchema).default([]),
  labels: z.array(z.object({ name: text.min(1), value: text })).default([]),
  restart_policy: z.enum(['no', 'always', 'unless-stopped', 'on-failure']).default('always'),
  network: text.optional(),
  hostname: text.optional(),
  privileged: z.boolean().default(false),
  interactive: z.boolean().default(false),
  note: text.optional(),
  repository: z.object({ url: text.min(1), stackfile: text.min(1) }).optional(),
});

function checkKind(t: z.infer<typeof baseTemplate>, ctx: z.RefinementCtx): void {
  if (t.type === 1 && !t.image) ctx.addIssue({ code: 'custom', path: ['image'], message: 'a container template (type 1) needs an image' });
  if (t.type !== 1 && !t.repository) ctx.addIssue({ code: 'custom', path: ['repository'], message: 'a stack template (type 2 or 3) needs a repository with url and stackfile' });
}

export const templateV2Schema = baseTemplate.superRefine(checkKind);
export const templateV3Schema = baseTemplate.extend({ id: z.number().int('must be an integer') }).superRefine(checkKind);

export const templateFileSchema = z.discriminatedUnion('version', [
  z.object({ version: z.literal('2'), templates: z.array(templateV2Schema) }),
  z.object({ version: z.literal('3'), templates: z.array(templateV3Schema) }),
], { errorMap: (issue, ctx) => (issue.code === 'invalid_union_discriminator' ? { message: 'version must be "2" or "3"' } : { message: ctx.defaultError }) });

export type TemplateEnv = z.infer<typeof templateEnvSchema>;
export type TemplateVolume = z.infer<typeof templateVolumeSchema>;

/** One template of the merged list: v3 fields, an id unique in the list, and where it came from. */
export type AppTemplate = z.infer<typeof baseTemplate> & { id: number; source: string };

/** A source that could not be read or parsed; the other sources are listed regardless. */
export interface TemplateSourceError { source: string; message: string }

/** The source name custom templates carry in the merged list. */
export const CUSTOM_TEMPLATE_SOURCE = 'custom';
/** Custom templates are numbered from here, far above the ids the merged list gives other sources. */
export const CUSTOM_TEMPLATE_ID_BASE = 1_000_000_000;

/** POST and PUT /api/templates/custom: one template in v3 shape; an `id` in the body is ignored (the server numbers them). */
export const customTemplateSchema = templateV2Schema;
/** One stored custom template: v3 fields and its id. */
export type CustomTemplate = Omit<AppTemplate, 'source'>;
/** GET /api/templates/custom and its export: a v3 template file. */
export interface CustomTemplateFile { version: '3'; templates: CustomTemplate[] }

/** POST /api/templates/custom/from-container/:id: what the container does not say itself. */
export const fromContainerSchema = z.object({
  title: text.min(1, 'must not be empty').optional(),
  description: text.optional(),
  categories: z.array(text).optional(),
});

/** GET /api/templates */
export interface TemplateList { version: '3'; templates: AppTemplate[]; errors: TemplateSourceError[] }

/** PUT /api/templates/sources: the URLs the administrator adds to the built-in catalogue. */
export const templateSourcesSchema = z.object({
  urls: z.array(z.string().url('must be a URL').refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL')).max(20, 'at most 20 sources'),
});
export type TemplateSources = z.infer<typeof templateSourcesSchema>;

/** GET /api/templates/sources: the administrator's URLs, and the one set by WHARF_TEMPLATES_URL (not editable here). */
export interface TemplateSourcesView { urls: string[]; fromEnvironment: string[] }
