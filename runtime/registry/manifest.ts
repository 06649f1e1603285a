import { InvalidArgumentError, NotFoundError } from '../errors.ts';
import { decodeJSON, indexSchema, isIndexMediaType, isManifestMediaType, manifestSchema, MediaType, type Manifest, type Platform } from '../images/oci-types.ts';
import { platformMatches, isUnknownPlatform } from '../images/archive/platform.ts';
import { sha256, type Digest } from '../util/digest.ts';
import type { RegistryClient } from './client.ts';

const ACCEPT = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest].join(', ');
/** Manifests are small documents; a huge one is an attack or a mistake. */
const MAX_MANIFEST = 4 << 20;

export interface ResolvedManifest { digest: Digest; mediaType: string; bytes: Buffer; manifest: Manifest }

/**
 * Fetch the manifest `reference` (tag or digest) names, following an index to the entry for
 * `platform`. Every document is checked against the digest that named it.
 */
export async function resolveManifest(client: RegistryClient, reference: string, platform: Platform, label: string): Promise<ResolvedManifest> {
  let doc = await fetchManifest(client, reference, label);
  if (isIndexMediaType(doc.mediaType)) {
    const index = decodeJSON(indexSchema, doc.bytes, `manifest list for ${label}`);
    const entry = index.manifests.find((m) => !isUnknownPlatform(m.platform) && platformMatches(m.platform, platform));
    if (!entry) throw new NotFoundError(`no matching manifest for ${platform.os}/${platform.architecture} in the manifest list entries`);
    doc = await fetchManifest(client, entry.digest, label);
  }
  if (!isManifestMediaType(doc.mediaType)) throw new InvalidArgumentError(`unsupported manifest media type ${doc.mediaType} for ${label}`);
  return { ...doc, manifest: decodeJSON(manifestSchema, doc.bytes, `manifest for ${label}`) };
}

async function fetchManifest(client: RegistryClient, reference: string, label: string): Promise<Omit<ResolvedManifest, 'manifest'>> {
  const res = await client.request('GET', `manifests/${reference}`, { headers: { accept: ACCEPT }, accept: [404] });
  if (res.status === 404) {
    await res.body?.cancel();
    throw new NotFoundError(`manifest for ${label} not found: manifest unknown: manifest unknown`);
  }
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_MANIFEST) throw new InvalidArgumentError(`manifest for ${label} is too large (${length} bytes)`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_MANIFEST) throw new InvalidArgumentError(`manifest for ${label} is too large (${bytes.length} bytes)`);
  const digest = sha256(bytes);
  const expected = reference.startsWith('sha256:') ? reference : res.headers.get('docker-content-digest');
  if (expected && expected !== digest) throw new InvalidArgumentError(`manifest for ${label}: digest mismatch: expected ${expected}, got ${digest}`);
  const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
  const mediaType = declared ?? res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
  return { digest, mediaType, bytes };
}
