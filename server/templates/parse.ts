import type { z } from 'zod';
import { templateFileSchema, type AppTemplate } from '../protocol/index.ts';

/** A template file that is not JSON or not Portainer's format; the message names the problem. */
export class TemplateFormatError extends Error {
  override name = 'TemplateFormatError';
}

/** The templates of one v2 or v3 file, without ids (the merged list numbers them). */
export type ParsedTemplate = Omit<AppTemplate, 'id' | 'source'>;

/** Parses one template file; throws TemplateFormatError naming the first bad field, like `templates[2].image: …`. */
export function parseTemplateFile(text: string): ParsedTemplate[] {
  return parseFile(text).templates.map((t) => {
    const { id: _id, ...rest } = t as typeof t & { id?: number };
    return rest;
  });
}

/** Parses a v3 file and keeps its ids (the custom template store is one). */
export function parseV3File(text: string): (ParsedTemplate & { id: number })[] {
  const file = parseFile(text);
  if (file.version !== '3') throw new TemplateFormatError('version: must be "3"');
  return file.templates;
}

function parseFile(text: string): z.infer<typeof templateFileSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TemplateFormatError(`not JSON: ${(err as Error).message}`);
  }
  const parsed = templateFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
    throw new TemplateFormatError(where ? `${where}: ${issue.message}` : issue.message);
  }
  return parsed.data;
}
