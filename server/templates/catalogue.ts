import { readFile } from 'node:fs/promises';
import type { HttpClient } from '../../runtime/index.ts';
import { CUSTOM_TEMPLATE_SOURCE, type AppTemplate, type CustomTemplate, type TemplateList, type TemplateSourceError } from '../protocol/index.ts';
import { parseTemplateFile, type ParsedTemplate } from './parse.ts';
import { readLimited } from './read-limited.ts';

/** A template file is small; anything bigger is not a catalogue and must not fill memory. */
export const MAX_TEMPLATE_FILE = 4 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 20_000;
/** A reading in which a source failed is kept only this long: the next page load tries again. */
const FAILED_READING_MAX_AGE_MS = 2_000;
/** Errors of a kept-alive connection the other side closed as the request went out: worth one more try. */
const STALE_CONNECTION = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

export interface TemplateCatalogueOptions {
  /** The catalogue shipped with Wharf. */
  builtinPath: string;
  /** The source set by WHARF_TEMPLATES_URL at start. */
  urls: readonly string[];
  /** Sources the administrator set in the dashboard; read on each reading of the catalogue. */
  saved?: () => Promise<readonly string[]>;
  /** The administrator's own templates; they keep their ids (numbered far above the others'). */
  custom?: () => Promise<readonly CustomTemplate[]>;
  http: HttpClient;
  /** How long one reading of the sources is reused (logo requests ask for the list too). */
  maxAgeMs?: number;
  /** How long a reading in which some source failed is reused. */
  failedMaxAgeMs?: number;
}

/**
 * The merged list of app templates: the built-in catalogue, each URL source in order, then
 * the custom templates.
 * The sources are read again once the last reading is older than maxAgeMs (the administrator
 * may edit a file and reload), each on its own: a source that fails adds an error naming it
 * and leaves the others listed.
 */
export class TemplateCatalogue {
  /** The latest reading; `expires` is set once it is complete (a reading in flight is shared). */
  private last: { expires: number; list: Promise<TemplateList> } | undefined;

  constructor(private readonly opts: TemplateCatalogueOptions) {}

  list(): Promise<TemplateList> {
    if (!this.last || Date.now() >= this.last.expires) {
      const reading = { expires: Infinity, list: this.read() };
      // A passing failure of a source must not hide it for the full age: the reading that failed
      // somewhere is dropped soon, so the user's next load reads the sources again.
      void reading.list.then((l) => {
        reading.expires = Date.now() + (l.errors.length ? this.opts.failedMaxAgeMs ?? FAILED_READING_MAX_AGE_MS : this.opts.maxAgeMs ?? 10_000);
      }, () => {
        reading.expires = 0;
      });
      this.last = reading;
    }
    return this.last.list;
  }

  /** The next listing reads the sources again (they were just changed). */
  invalidate(): void {
    this.last = undefined;
  }

  private async read(): Promise<TemplateList> {
    const errors: TemplateSourceError[] = [];
    const saved = await (this.opts.saved?.() ?? Promise.resolve([])).catch((err: Error) => {
      errors.push({ source: 'saved sources', message: err.message });
      return [];
    });
    const urls = [...new Set([...this.opts.urls, ...saved])];
    const sources = [
      { source: 'built-in', read: () => readFile(this.opts.builtinPath, 'utf8') },
      ...urls.map((url) => ({ source: url, read: () => this.download(url) })),
    ];
    const results = await Promise.all(sources.map(async ({ source, read }) => {
      try {
        return { source, templates: parseTemplateFile(await read()) };
      } catch (err) {
        return { source, error: (err as Error).message };
      }
    }));
    const templates: AppTemplate[] = [];
    for (const r of results) {
      if ('error' in r) errors.push({ source: r.source, message: r.error! });
      else r.templates.forEach((t: ParsedTemplate) => templates.push({ ...t, id: templates.length + 1, source: r.source }));
    }
    const custom = await (this.opts.custom?.() ?? Promise.resolve([])).catch((err: Error) => {
      errors.push({ source: CUSTOM_TEMPLATE_SOURCE, message: err.message });
      return [];
    });
    for (const t of custom) templates.push({ ...t, source: CUSTOM_TEMPLATE_SOURCE });
    return { version: '3', templates, errors };
  }

  private async download(url: string): Promise<string> {
    const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
    const get = () => this.opts.http.fetch(url, { signal, headers: { Accept: 'application/json' } });
    const res = await get().catch((err: Error & { cause?: { code?: string; message?: string } }) => {
      if (STALE_CONNECTION.has(err.cause?.code ?? '') && !signal.aborted) return get();
      throw err;
    }).catch((err: Error & { cause?: { message?: string } }) => {
      // undici says only "fetch failed"; the cause names what went wrong (refused, reset, timed out).
      throw new Error(err.cause?.message ? `${err.message}: ${err.cause.message}` : err.message);
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    return (await readLimited(res, MAX_TEMPLATE_FILE)).toString('utf8');
  }
}
