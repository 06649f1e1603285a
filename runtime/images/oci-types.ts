import { z } from 'zod';
import { InvalidArgumentError } from '../errors.ts';
import { isDigest, type Digest } from '../util/digest.ts';

/**
 * OCI image-spec and Docker image manifest v2 schema 2: media types, types and validating
 * schemas for documents read from untrusted sources (archives, registries).
 */
export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

export const Annotation = {
  refName: 'org.opencontainers.image.ref.name',
  created: 'org.opencontainers.image.created',
  containerdImageName: 'io.containerd.image.name',
} as const;

export type Compression = 'none' | 'gzip' | 'zstd';

const LAYER_COMPRESSION: Record<string, Compression> = {
  [MediaType.ociLayer]: 'none',
  [MediaType.ociLayerGzip]: 'gzip',
  [MediaType.ociLayerZstd]: 'zstd',
  [MediaType.ociLayerNondistributable]: 'none',
  [MediaType.ociLayerNondistributableGzip]: 'gzip',
  [MediaType.ociLayerNondistributableZstd]: 'zstd',
  [MediaType.dockerLayer]: 'none',
  [MediaType.dockerLayerGzip]: 'gzip',
  [MediaType.dockerForeignLayerGzip]: 'gzip',
};

/** The compression a layer media type declares, or undefined when it is not a known layer type. */
export function layerCompression(mediaType: string): Compression | undefined {
  return LAYER_COMPRESSION[mediaType];
}

export function isManifestMediaType(t: string | undefined): boolean {
  return t === MediaType.ociManifest || t === MediaType.dockerManifest;
}

export function isIndexMediaType(t: string | undefined): boolean {
  return t === MediaType.ociIndex || t === MediaType.dockerManifestList;
}

export function isConfigMediaType(t: string | undefined): boolean {
  return t === MediaType.ociConfig || t === MediaType.dockerConfig;
}

// Go encodes nil slices and maps as null, so Docker-written documents are full of them:
// accept null and treat it as absent.
function opt<T extends z.ZodTypeAny>(schema: T) {
  return schema.nullish().transform((v) => v ?? undefined);
}

const digestSchema = z.custom<Digest>((v) => typeof v === 'string' && isDigest(v), 'expected sha256:<64 hex digits>');
const stringMap = z.record(z.string());
const emptyObjectMap = z.record(z.object({}).passthrough());

export const platformSchema = z.object({
  architecture: z.string(),
  os: z.string(),
  'os.version': opt(z.string()),
  'os.features': opt(z.array(z.string())),
  variant: opt(z.string()),
});
export type Platform = z.infer<typeof platformSchema>;

export const descriptorSchema = z.object({
  mediaType: z.string(),
  digest: digestSchema,
  size: z.number().int().nonnegative(),
  urls: opt(z.array(z.string())),
  annotations: opt(stringMap),
  platform: opt(platformSchema),
  artifactType: opt(z.string()),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: opt(z.string()),
  artifactType: opt(z.string()),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: opt(descriptorSchema),
  annotations: opt(stringMap),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: opt(z.string()),
  artifactType: opt(z.string()),
  manifests: z.array(descriptorSchema),
  subject: opt(descriptorSchema),
  annotations: opt(stringMap),
});
export type Index = z.infer<typeof indexSchema>;

/** Durations are nanoseconds, as in Docker's Go structs. */
export const healthcheckSchema = z.object({
  Test: opt(z.array(z.string())),
  Interval: opt(z.number().int()),
  Timeout: opt(z.number().int()),
  StartPeriod: opt(z.number().int()),
  StartInterval: opt(z.number().int()),
  Retries: opt(z.number().int()),
}).passthrough();
export type Healthcheck = z.infer<typeof healthcheckSchema>;

/** The runtime defaults an image carries (`config` in the image config). */
export const containerConfigSchema = z.object({
  User: opt(z.string()),
  ExposedPorts: opt(emptyObjectMap),
  Env: opt(z.array(z.string())),
  Entrypoint: opt(z.array(z.string())),
  Cmd: opt(z.array(z.string())),
  Volumes: opt(emptyObjectMap),
  WorkingDir: opt(z.string()),
  Labels: opt(stringMap),
  StopSignal: opt(z.string()),
  ArgsEscaped: opt(z.boolean()),
  Healthcheck: opt(healthcheckSchema),
  OnBuild: opt(z.array(z.string())),
  Shell: opt(z.array(z.string())),
}).passthrough();
export type ContainerConfig = z.infer<typeof containerConfigSchema>;

export const historySchema = z.object({
  created: opt(z.string()),
  created_by: opt(z.string()),
  author: opt(z.string()),
  comment: opt(z.string()),
  empty_layer: opt(z.boolean()),
});
export type History = z.infer<typeof historySchema>;

export const imageConfigSchema = z.object({
  architecture: z.string(),
  os: z.string(),
  variant: opt(z.string()),
  'os.version': opt(z.string()),
  'os.features': opt(z.array(z.string())),
  created: opt(z.string()),
  author: opt(z.string()),
  config: opt(containerConfigSchema),
  rootfs: z.object({ type: z.literal('layers'), diff_ids: z.array(digestSchema) }),
  history: opt(z.array(historySchema)),
}).passthrough();
export type ImageConfig = z.infer<typeof imageConfigSchema>;

/**
 * Parse and validate a JSON document from an untrusted source. `what` names it in errors,
 * e.g. `archive entry "manifest.json"`.
 */
export function decodeJSON<S extends z.ZodTypeAny>(schema: S, data: Buffer | string, what: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch (e) {
    throw new InvalidArgumentError(`invalid ${what}: not valid JSON (${(e as Error).message})`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InvalidArgumentError(`invalid ${what}${at}: ${issue?.message ?? 'does not match the schema'}`);
  }
  return r.data as z.infer<S>;
}
