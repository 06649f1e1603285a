import { InvalidArgumentError, NotFoundError } from '../errors.ts';
import { decodeJSON, indexSchema, isIndexMediaType, isManifestMediaType, manifestSchema, MediaType, type Manifest, type Platform } from '../images/oci-types.ts';
import { platformMatches, isUnknownPlatform } from '../images/archive/platform.ts';
import { sha256, type Digest } from '../util/digest.ts';
import type { RegistryClient } from './client.ts';

const ACCEPT = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest].join(', ');
/** Manifests are small documents; a huge one is an attack or a mistake. */
const MAX_MANIFEST = 4 << 20;

export interface ManifestDocument { digest: Digest; mediaType: string; bytes: Buffer }
export interface ResolvedManifest extends ManifestDocument {
  manifest: Manifest;
  /** The index the manifest was chosen from, when the reference named one. */
  index?: ManifestDocument;
}

const platformString = (p: Platform): string => [p.os, p.architecture, p.variant].filter(Boolean).join('/');

/**
 * Fetch the manifest `reference` (tag or digest) names, following an index to the entry for
 * `platform`. Every document is checked against the digest that named it.
 */
export async function resolveManifest(client: RegistryClient, reference: string, platform: Platform, label: string, signal?: AbortSignal): Promise<ResolvedManifest> {
  let doc = await fetchManifest(client, reference, label, signal);
  let index: ManifestDocument | undefined;
  if (isIndexMediaType(doc.mediaType)) {
    index = doc;
    const list = decodeJSON(indexSchema, doc.bytes, `manifest list for ${label}`);
    const entry = list.manifests.find((m) => !isUnknownPlatform(m.platform) && platformMatches(m.platform, platform));
    if (!entry) throw new NotFoundError(`no matching manifest for ${platformString(platform)} in the manifest list entries`);
    doc = await fetchManifest(client, entry.digest, label, signal);
    if (doc.bytes.length !== entry.size) throw new InvalidArgumentError(`manifest ${entry.digest} for ${label}: size ${doc.bytes.length} does not match the index's ${entry.size}`);
    if (entry.mediaType && entry.mediaType !== doc.mediaType) throw new InvalidArgumentError(`manifest ${entry.digest} for ${label}: media type ${doc.mediaType} does not match the index's ${entry.mediaType}`);
  }
  if (!isManifestMediaType(doc.mediaType)) throw new InvalidArgumentError(`unsupported manifest media type ${doc.mediaType} for ${label}`);
  return { ...doc, index, manifest: decodeJSON(manifestSchema, doc.bytes, `manifest for ${label}`) };
}

async function fetchManifest(client: RegistryClient, reference: string, label: string, signal?: AbortSignal): Promise<ManifestDocument> {
  const res = await client.request('GET', `manifests/${reference}`, { headers: { accept: ACCEPT }, accept: [404], signal });
  if (res.status === 404) {
    await res.body?.cancel();
    throw new NotFoundError(`manifest for ${label} not found: manifest unknown: manifest unknown`);
  }
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_MANIFEST) {
    await res.body?.cancel();
    throw new InvalidArgumentError(`manifest for ${label} is too large (${length} bytes)`);
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_MANIFEST) throw new InvalidArgumentError(`manifest for ${label} is too large (${bytes.length} bytes)`);
  const digest = sha256(bytes);
  const expected = reference.startsWith('sha256:') ? reference : res.headers.get('docker-content-digest');
  if (expected && expected !== digest) throw new InvalidArgumentError(`manifest for ${label}: digest mismatch: expected ${expected}, got ${digest}`);
  return { digest, mediaType: manifestMediaType(bytes, res.headers.get('content-type'), label), bytes };
}

/**
 * The one media type a manifest document has. Rejected as ambiguous, as containerd does:
 * a document that is both a manifest and an index, or whose declared type and Content-Type
 * disagree, could be read two ways by two clients.
 */
export function manifestMediaType(bytes: Buffer, contentType: string | null, label: string): string {
  let doc: { mediaType?: unknown; manifests?: unknown; layers?: unknown; config?: unknown };
  try { doc = JSON.parse(bytes.toString('utf8')) as typeof doc; } catch { throw new InvalidArgumentError(`manifest for ${label} is not JSON`); }
  if (doc.manifests !== undefined && (doc.layers !== undefined || doc.config !== undefined)) {
    throw new InvalidArgumentError(`manifest for ${label} is ambiguous: it has both "manifests" and "layers"/"config"`);
  }
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const header = contentType?.split(';')[0]?.trim();
  const known = (t: string | undefined) => isIndexMediaType(t) || isManifestMediaType(t);
  if (declared && known(header) && declared !== header) {
    throw new InvalidArgumentError(`manifest for ${label} is ambiguous: mediaType ${declared} but Content-Type ${header}`);
  }
  const type = declared ?? (known(header) ? header! : doc.manifests !== undefined ? MediaType.ociIndex : MediaType.ociManifest);
  if (isIndexMediaType(type) && doc.layers !== undefined) throw new InvalidArgumentError(`manifest for ${label} is ambiguous: an index with "layers"`);
  if (isManifestMediaType(type) && doc.manifests !== undefined) throw new InvalidArgumentError(`manifest for ${label} is ambiguous: a manifest with "manifests"`);
  return type;
}
