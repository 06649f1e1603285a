import { readFile } from 'node:fs/promises';
import type { HttpClient } from '../../runtime/index.ts';
import { CUSTOM_TEMPLATE_SOURCE, type AppTemplate, type CustomTemplate, type TemplateList, type TemplateSourceError } from '../protocol/index.ts';
import { parseTemplateFile, type ParsedTemplate } from './parse.ts';
import { readLimited } from './read-limited.ts';

/** A template file is small; anything bigger is not a catalogue and must not fill memory. */
export const MAX_TEMPLATE_FILE = 4 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 20_000;

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
}

/**
 * The merged list of app templates: the built-in catalogue, each URL source in order, then
 * the custom templates.
 * The sources are read again once the last reading is older than maxAgeMs (the administrator
 * may edit a file and reload), each on its own: a source that fails adds an error naming it
 * and leaves the others listed.
 */
export class TemplateCatalogue {
  private last: { at: number; list: Promise<TemplateList> } | undefined;

  constructor(private readonly opts: TemplateCatalogueOptions) {}

  list(): Promise<TemplateList> {
    const now = Date.now();
    if (!this.last || now - this.last.at > (this.opts.maxAgeMs ?? 10_000)) this.last = { at: now, list: this.read() };
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
    const res = await this.opts.http.fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { Accept: 'application/json' } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    return (await readLimited(res, MAX_TEMPLATE_FILE)).toString('utf8');
  }
}
