import { InternalError } from '../errors.ts';
import { run } from '../util/exec.ts';

/**
 * Node has no xattr API, so extended attributes go through Debian's `attr` tools, one child
 * process per batch. The dump format (`getfattr -d`, `setfattr --restore`) names each file on a
 * `# file:` line with control characters and backslashes as `\ooo` octal escapes, and values in
 * hex, so any path and any binary value survive the round trip.
 */

export type XattrMap = Map<string, Map<string, Buffer>>;

/** A stable C locale makes getfattr escape every byte outside printable ASCII the same way. */
const ENV = { ...process.env, LC_ALL: 'C' };

function escapePath(path: string): string {
  const out: string[] = [];
  for (const byte of Buffer.from(path)) {
    if (byte < 0x21 || byte > 0x7e || byte === 0x5c) out.push(`\\${byte.toString(8).padStart(3, '0')}`);
    else out.push(String.fromCharCode(byte));
  }
  return out.join('');
}

function unescapePath(text: string): string {
  const bytes = Buffer.from(text, 'latin1');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const oct = b === 0x5c ? bytes.subarray(i + 1, i + 4).toString('latin1') : '';
    if (/^[0-7]{3}$/.test(oct)) {
      out.push(parseInt(oct, 8));
      i += 3;
    } else out.push(b);
  }
  return Buffer.from(out).toString('utf8');
}

/** Set attributes on many paths in one `setfattr --restore`, never following a final symlink. */
export async function setXattrs(attrs: XattrMap, opts: { tolerate?: RegExp } = {}): Promise<void> {
  if (attrs.size === 0) return;
  const blocks: string[] = [];
  for (const [path, values] of attrs) {
    const lines = [`# file: ${escapePath(path)}`];
    for (const [name, value] of values) lines.push(`${name}=0x${value.toString('hex')}`);
    blocks.push(`${lines.join('\n')}\n`);
  }
  const res = await run('setfattr', ['-h', '--restore=-'], { input: blocks.join('\n'), env: ENV, allowFail: true });
  if (res.code === 0) return;
  const failures = res.stderr.split('\n').filter((l) => l.trim() !== '' && !(opts.tolerate?.test(l) ?? false));
  if (failures.length > 0) throw new InternalError(`setting extended attributes failed: ${failures.slice(0, 5).join('; ')}`);
}

/**
 * Read the attributes matching `pattern` (a getfattr -m regex) of every file under `dir`,
 * recursively, without following symlinks. Returns absolute paths.
 */
export async function getXattrsRecursive(dir: string, pattern: string): Promise<XattrMap> {
  const res = await run('getfattr', ['-R', '-P', '-h', '-d', '-e', 'hex', '-m', pattern, '--absolute-names', '--', dir],
    { env: ENV, allowFail: true });
  if (res.code !== 0) throw new InternalError(`reading extended attributes under ${dir} failed: ${res.stderr.trim()}`);
  const out: XattrMap = new Map();
  let current: Map<string, Buffer> | null = null;
  for (const line of Buffer.from(res.stdout, 'utf8').toString('latin1').split('\n')) {
    if (line.startsWith('# file: ')) {
      current = new Map();
      out.set(unescapePath(line.slice(8)), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === null || eq <= 0) continue;
    const value = line.slice(eq + 1);
    current.set(line.slice(0, eq), value.startsWith('0x') ? Buffer.from(value.slice(2), 'hex') : Buffer.from(value.replace(/^"|"$/g, ''), 'latin1'));
  }
  return out;
}
