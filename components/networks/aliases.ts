/** Aliases typed as a list separated by commas or spaces. */
export function splitAliases(text: string): string[] {
  return text.split(/[\s,]+/).map((a) => a.trim()).filter(Boolean);
}

/** A DNS name an embedded resolver can answer for: labels of letters, digits, `-` and `_`, dot-separated. */
export const ALIAS = /^[a-zA-Z0-9_](?:[a-zA-Z0-9_.-]{0,252}[a-zA-Z0-9_])?$/;

/** The first alias that is not a usable name, if any. */
export function badAlias(text: string): string | undefined {
  return splitAliases(text).find((a) => !ALIAS.test(a) || a.includes('..'));
}
