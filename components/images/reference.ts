/** Splits `repo[:tag][@digest]` into the fromImage/tag pair that POST /images/create expects. */
export function splitReference(ref: string): { fromImage: string; tag?: string } {
  const trimmed = ref.trim();
  if (trimmed.includes('@')) return { fromImage: trimmed };
  const slash = trimmed.lastIndexOf('/');
  const colon = trimmed.lastIndexOf(':');
  // A colon before the last slash belongs to a registry host:port, not a tag.
  if (colon > slash) return { fromImage: trimmed.slice(0, colon), tag: trimmed.slice(colon + 1) };
  return { fromImage: trimmed, tag: 'latest' };
}

/** Roughly the distribution-spec reference grammar: enough to catch typos before the engine does. */
export const REFERENCE = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
