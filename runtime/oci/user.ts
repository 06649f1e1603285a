import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors.ts';
import { resolveInRoot } from './scope.ts';

export interface ResolvedUser {
  uid: number;
  gid: number;
  /** The primary gid first, then supplementary groups, as moby's getUser. */
  additionalGids: number[];
}

interface PasswdEntry { name: string; uid: number; gid: number }
interface GroupEntry { name: string; gid: number; members: string[] }

const MAX_ID = 2 ** 31 - 1;
const NUMERIC = /^[+-]?\d+$/;

function checkRange(id: number, what: string): number {
  if (id < 0 || id > MAX_ID) throw new InvalidArgumentError(`${what} ${id}: uids and gids must be in range 0-${MAX_ID}`);
  return id;
}

/** Lines of a colon-separated database; a missing file is null (allowed, as in runc). */
async function readDb(rootfs: string, file: string): Promise<string[][] | null> {
  let text: string;
  try {
    text = await readFile(await resolveInRoot(rootfs, file), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  }
  return text.split('\n').map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('+') && !l.startsWith('-'))
    .map((l) => l.split(':'));
}

const int = (s: string | undefined): number => (s !== undefined && NUMERIC.test(s) ? Number.parseInt(s, 10) : 0);

const parsePasswd = (rows: string[][]): PasswdEntry[] => rows.map((r) => ({ name: r[0] ?? '', uid: int(r[2]), gid: int(r[3]) }));
const parseGroup = (rows: string[][]): GroupEntry[] =>
  rows.map((r) => ({ name: r[0] ?? '', gid: int(r[2]), members: (r[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean) }));

/**
 * Docker's user resolution (runc's GetExecUser) against the container's own /etc/passwd and
 * /etc/group: "", "name", "uid", "uid:gid", "name:group". A numeric uid needs no passwd entry;
 * supplementary groups come from /etc/group membership unless a group is given explicitly.
 * groupAdd is HostConfig.GroupAdd (names or gids).
 */
export async function resolveUser(spec: string, rootfs: string, groupAdd: readonly string[] = []): Promise<ResolvedUser> {
  const [userArg = '', groupArg = ''] = spec.split(':');
  const passwdRows = await readDb(rootfs, '/etc/passwd');
  const users = passwdRows ? parsePasswd(passwdRows) : [];
  const uidArg = NUMERIC.test(userArg) ? Number.parseInt(userArg, 10) : undefined;

  let uid = 0;
  let gid = 0;
  let matchedName = '';
  const match = users.find((u) => (userArg === '' ? u.uid === 0 : uidArg !== undefined ? u.uid === uidArg : u.name === userArg));
  if (match) {
    ({ uid, gid } = match);
    matchedName = match.name;
  } else if (userArg !== '') {
    if (uidArg === undefined) throw new InvalidArgumentError(`unable to find user ${userArg}: no matching entries in passwd file`);
    uid = checkRange(uidArg, 'user');
  }

  let groups: GroupEntry[] | undefined;
  const loadGroups = async (): Promise<GroupEntry[]> => (groups ??= parseGroup((await readDb(rootfs, '/etc/group')) ?? []));
  const sgids: number[] = [];
  if (groupArg !== '') {
    const gidArg = NUMERIC.test(groupArg) ? Number.parseInt(groupArg, 10) : undefined;
    const g = (await loadGroups()).find((e) => (gidArg !== undefined ? e.gid === gidArg : e.name === groupArg));
    if (g) gid = g.gid;
    else if (gidArg === undefined) throw new InvalidArgumentError(`unable to find group ${groupArg}: no matching entries in group file`);
    else gid = checkRange(gidArg, 'group');
  } else if (matchedName !== '') {
    for (const g of await loadGroups()) if (g.members.includes(matchedName)) sgids.push(g.gid);
  }

  for (const ag of groupAdd) {
    const agNum = NUMERIC.test(ag) ? Number.parseInt(ag, 10) : undefined;
    const g = (await loadGroups()).find((e) => e.name === ag || (agNum !== undefined && e.gid === agNum));
    if (g) sgids.push(g.gid);
    else if (agNum !== undefined) sgids.push(checkRange(agNum, 'group'));
    else throw new InvalidArgumentError(`Unable to find group ${ag}: no matching entries in group file`, { field: 'HostConfig.GroupAdd' });
  }
  return { uid, gid, additionalGids: [...new Set([gid, ...sgids])] };
}
