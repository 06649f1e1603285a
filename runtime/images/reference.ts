import { InvalidArgumentError } from '../errors.ts';
import { isDigest, type Digest } from '../util/digest.ts';

/**
 * An image reference normalised the way Docker does (distribution/reference):
 * `busybox` is `docker.io/library/busybox:latest`.
 */
export interface Reference {
  /** Registry host with optional port, e.g. `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  path: string;
  tag?: string;
  digest?: Digest;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

// The grammar of distribution/reference, assembled from the same pieces.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6})(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const namePattern = `(?:(${domainAndPort})/)?(${pathComponent}(?:/${pathComponent})*)`;

const REFERENCE_RE = new RegExp(`^${namePattern}(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const TAG_RE = new RegExp(`^${tagPattern}$`);
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;
const ID_PREFIX_RE = /^(?:sha256:)?[a-f0-9]{1,64}$/;

function invalid(detail?: string): InvalidArgumentError {
  return new InvalidArgumentError(detail ? `invalid reference format: ${detail}` : 'invalid reference format');
}

/**
 * Split off the registry domain: the first component is a domain only when it looks like a
 * host (contains `.` or `:`, is `localhost`, or has uppercase letters, which a path never has).
 */
function splitDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  const first = i === -1 ? '' : name.slice(0, i);
  let domain = DEFAULT_DOMAIN;
  let remainder = name;
  if (i !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first)) {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/**
 * Parse a user-supplied reference (`busybox`, `localhost:5000/x:1`, `x@sha256:…`) into its
 * normalised parts. Adds the tag `latest` when neither a tag nor a digest is given. A reference
 * with both keeps both; callers that resolve by content should prefer the digest, like Docker.
 */
export function parseReference(s: string): Reference {
  if (s === '') throw invalid('repository name must have at least one component');
  if (IDENTIFIER_RE.test(s)) {
    throw invalid(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain: splitDomainPart, remainder } = splitDomain(s);
  const nameEnd = remainder.search(/[:@]/);
  const remoteName = nameEnd === -1 ? remainder : remainder.slice(0, nameEnd);
  if (remoteName.toLowerCase() !== remoteName) throw invalid('repository name must be lowercase');

  const m = REFERENCE_RE.exec(`${splitDomainPart}/${remainder}`);
  if (!m) throw invalid();
  const [, domain = DEFAULT_DOMAIN, path = '', tag, digest] = m;
  if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) {
    throw invalid(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  const ref: Reference = { domain, path };
  if (digest !== undefined) {
    if (!isDigest(digest)) throw invalid(`unsupported digest "${digest}": only sha256 with 64 lowercase hex digits`);
    ref.digest = digest;
  }
  if (tag !== undefined) ref.tag = tag;
  else if (digest === undefined) ref.tag = 'latest';
  return ref;
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

/** `docker.io/library/busybox`. */
export function fullName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The short name Docker shows: `busybox`, `foo/bar`, `localhost:5000/x`. */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return fullName(ref);
  return ref.path.startsWith(OFFICIAL_REPO_PREFIX) && !ref.path.slice(OFFICIAL_REPO_PREFIX.length).includes('/')
    ? ref.path.slice(OFFICIAL_REPO_PREFIX.length)
    : ref.path;
}

function suffix(ref: Reference): string {
  return (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** `busybox:latest`, as `docker images` prints it. */
export function familiarString(ref: Reference): string {
  return familiarName(ref) + suffix(ref);
}

/** The canonical full string: `docker.io/library/busybox:latest`. */
export function refString(ref: Reference): string {
  return fullName(ref) + suffix(ref);
}

export function withTag(ref: Reference, tag: string): Reference {
  if (!isValidTag(tag)) throw invalid(`invalid tag "${tag}"`);
  return { ...ref, tag };
}

export function withDigest(ref: Reference, digest: string): Reference {
  if (!isDigest(digest)) throw invalid(`invalid digest "${digest}"`);
  return { ...ref, digest };
}

/** The name alone, without tag or digest. */
export function nameOnly(ref: Reference): Reference {
  return { domain: ref.domain, path: ref.path };
}

/**
 * Whether `s` could be an image id: `sha256:<hex>` or bare hex, 1..64 digits. A pure predicate:
 * the caller decides whether a name lookup takes precedence (a short hex string is also a valid name).
 */
export function isImageIdLike(s: string): boolean {
  return ID_PREFIX_RE.test(s);
}
