import { NotFoundError, UnavailableError } from '../errors.ts';
import { parseReference } from '../images/reference.ts';
import { MediaType } from '../images/oci-types.ts';
import type { Credentials } from './auth.ts';
import { RegistryClient } from './client.ts';
import type { HttpClient } from './http.ts';

// The same Accept as a pull: the registry then names the document a pull by this tag would get
// (the index for a multi-arch image), whose digest is the repo digest the pull recorded.
const ACCEPT = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest].join(', ');

/**
 * The digest a registry currently serves for `name` (a tag), from a `HEAD` on the manifest:
 * nothing is downloaded. Throws NotFoundError when the tag is gone.
 */
export async function remoteManifestDigest(http: HttpClient, name: string, creds: Credentials | undefined, signal?: AbortSignal): Promise<string> {
  const ref = parseReference(name);
  const client = new RegistryClient(http, ref.domain, ref.path, creds, 'pull');
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const res = await client.request('HEAD', `manifests/${reference}`, { headers: { accept: ACCEPT }, accept: [404], signal });
  await res.body?.cancel();
  if (res.status === 404) throw new NotFoundError(`manifest for ${name} not found`);
  const digest = res.headers.get('docker-content-digest');
  if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) throw new UnavailableError(`registry ${ref.domain} gave no Docker-Content-Digest for ${name}`);
  return digest;
}
