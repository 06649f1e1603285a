/** Arguments every build accepts without an ARG, so never reported as unused (Docker's list). */
const BUILTIN = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

/** The classic builder's warning for `--build-arg`s no stage's ARG declared; empty when all were. */
export function unusedBuildArgs(given: Record<string, unknown>, consumed: ReadonlySet<string>): string {
  const left = Object.keys(given).filter((k) => !consumed.has(k) && !BUILTIN.has(k)).sort();
  return left.length ? `[Warning] One or more build-args [${left.join(' ')}] were not consumed\n` : '';
}
