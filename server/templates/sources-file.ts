import { readFile, rename, writeFile } from 'node:fs/promises';
import { templateSourcesSchema } from '../protocol/index.ts';

/**
 * The template URLs set by the administrator, kept as a small JSON file in the data root.
 * Written to a temporary file and renamed, so a crash leaves the old list or the new one.
 */
export class TemplateSourcesFile {
  constructor(private readonly file: string) {}

  async read(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const parsed = templateSourcesSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${this.file}: not a list of template source URLs`);
    return parsed.data.urls;
  }

  async write(urls: readonly string[]): Promise<void> {
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ urls }, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
