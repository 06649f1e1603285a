import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isScalar, LineCounter, parse, parseDocument, visit, type Document, type Node } from 'yaml';
import schema from './compose-spec.json' with { type: 'json' };
import { interpolate, InterpolationError, type Environment } from './interpolate.ts';

/** A problem in a compose file, where it is (1-based line and column). */
export interface ComposeProblem { line: number; column: number; path: string; message: string }

export type ComposeParse =
  | { ok: true; file: Record<string, unknown>; locate: (path: string) => { line: number; column: number } }
  | { ok: false; problems: ComposeProblem[] };

let validator: ValidateFunction | undefined;
/** Compiled once: the compose-spec schema is ~75 kB and its compilation is not free. */
function validate(): ValidateFunction {
  // The schema names its draft by an https URI Ajv does not register; it is draft-07.
  validator ??= new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(schema);
  return validator;
}

/**
 * One parse of a compose file: YAML (keeping positions), `.env` interpolation of every
 * string value, then the compose-spec JSON schema. Every problem found names its line.
 */
export function parseCompose(text: string, env: Environment): ComposeParse {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number | undefined): { line: number; column: number } => {
    const pos = offset === undefined ? undefined : lines.linePos(offset);
    return { line: pos?.line ?? 1, column: pos?.col ?? 1 };
  };
  const yamlProblems = doc.errors.map((e) => ({ ...at(e.pos[0]), path: '', message: e.message.split('\n')[0]! }));
  if (yamlProblems.length) return { ok: false, problems: yamlProblems };

  const problems: ComposeProblem[] = [];
  visit(doc, {
    Scalar(_key, node, path) {
      // Keys are not interpolated (compose interpolates values only).
      const parent = path.at(-1);
      if (parent && 'key' in parent && parent.key === node) return;
      if (typeof node.value !== 'string') return;
      try {
        const value = interpolate(node.value, env);
        // An unquoted `${N}` becomes what YAML would have read there (`replicas: ${N}` is a number).
        node.value = value !== node.value && node.type === 'PLAIN' ? plainScalar(value) : value;
      } catch (err) {
        if (!(err instanceof InterpolationError)) throw err;
        problems.push({ ...at(node.range?.[0]), path: '', message: err.message });
      }
    },
  });
  if (problems.length) return { ok: false, problems };

  const file = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!file || typeof file !== 'object' || Array.isArray(file)) return { ok: false, problems: [{ line: 1, column: 1, path: '', message: 'a compose file is a mapping with a "services" key' }] };
  const check = validate();
  if (!check(file)) return { ok: false, problems: schemaProblems(check.errors ?? [], doc, at) };
  const locate = (p: string): { line: number; column: number } => at(nodeAt(doc, p.split('.'))?.range?.[0]);
  return { ok: true, file: file as Record<string, unknown>, locate };
}

function schemaProblems(errors: ErrorObject[], doc: Document, at: (offset: number | undefined) => { line: number; column: number }): ComposeProblem[] {
  const seen = new Set<string>();
  const out: ComposeProblem[] = [];
  // `oneOf` branches repeat one mistake several times; the most specific message is kept per path.
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
    const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let path = segments.join('.');
    let message = e.message ?? 'invalid';
    let node = nodeAt(doc, segments);
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      path = path ? `${path}.${extra}` : extra;
      message = `additional property ${extra} is not allowed`;
      node = keyNode(doc, segments, extra) ?? node;
    } else if (e.keyword === 'required') {
      message = `${(e.params as { missingProperty: string }).missingProperty} is required`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key) || out.some((p) => p.path === path)) continue;
    seen.add(key);
    out.push({ ...at(node?.range?.[0]), path, message: path ? `${path}: ${message}` : message });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function nodeAt(doc: Document, segments: string[]): Node | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const node = doc.getIn(segments.slice(0, n).map(segmentKey), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node) return node;
  }
  return undefined;
}

function keyNode(doc: Document, segments: string[], key: string): Node | undefined {
  const map = doc.getIn(segments.map(segmentKey), true) as { items?: Array<{ key: unknown }> } | undefined;
  const pair = map?.items?.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

const segmentKey = (s: string): string | number => (/^\d+$/.test(s) ? Number(s) : s);

function plainScalar(text: string): unknown {
  try {
    const v = parse(text) as unknown;
    return typeof v === 'number' || typeof v === 'boolean' ? v : text;
  } catch {
    return text;
  }
}
