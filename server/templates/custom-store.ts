import { readFile } from 'node:fs/promises';
import { NotFoundError } from '../../runtime/index.ts';
import { CUSTOM_TEMPLATE_ID_BASE, type CustomTemplate, type CustomTemplateFile } from '../protocol/index.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { parseV3File, type ParsedTemplate } from './parse.ts';

/**
 * The administrator's own templates, kept in the data root as a Portainer v3 file (so the
 * export is the file itself) and read with the parser every other source goes through.
 * Changes are made one at a time, each a read, a change and an atomic write.
 */
export class CustomTemplateStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  async list(): Promise<CustomTemplate[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return parseV3File(text);
  }

  async asFile(): Promise<CustomTemplateFile> {
    return { version: '3', templates: await this.list() };
  }

  create(template: ParsedTemplate): Promise<CustomTemplate> {
    return this.change((list) => {
      const id = Math.max(CUSTOM_TEMPLATE_ID_BASE, ...list.map((t) => t.id)) + 1;
      const created = { ...template, id };
      return { list: [...list, created], result: created };
    });
  }

  update(id: number, template: ParsedTemplate): Promise<CustomTemplate> {
    return this.change((list) => {
      const at = this.indexOf(list, id);
      const updated = { ...template, id };
      return { list: list.map((t, i) => (i === at ? updated : t)), result: updated };
    });
  }

  remove(id: number): Promise<void> {
    return this.change((list) => {
      const at = this.indexOf(list, id);
      return { list: list.filter((_, i) => i !== at), result: undefined };
    });
  }

  private indexOf(list: CustomTemplate[], id: number): number {
    const at = list.findIndex((t) => t.id === id);
    if (at < 0) throw new NotFoundError(`no custom template ${id}`);
    return at;
  }

  private change<R>(edit: (list: CustomTemplate[]) => { list: CustomTemplate[]; result: R }): Promise<R> {
    const run = this.queue.then(async () => {
      const { list, result } = edit(await this.list());
      await writeFileAtomic(this.file, `${JSON.stringify({ version: '3', templates: list }, null, 2)}\n`);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
