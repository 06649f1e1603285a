'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createUserRequestSchema, MIN_PASSWORD_LENGTH, ROLES, type Role, type UserSummary } from '@/server/protocol/index.ts';
import { api, ApiError, messageOf } from '../api/client.ts';
import { formatDate } from '../format.ts';
import { qk } from '../query-keys.ts';
import { useSessionUser } from '../shell/session.tsx';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { useConfirm } from '../ui/confirm.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { SelectField, TextField, inputBase } from '../ui/field.tsx';
import { ErrorBox, Loading, PageHeader } from '../ui/layout.tsx';
import { ResourceTable, type Column } from '../ui/resource-table.tsx';
import { useToast } from '../ui/toasts.tsx';
import { fieldErrors, type FieldErrors } from '../ui/zod-errors.ts';

const ROLE_HELP: Record<Role, string> = {
  admin: 'everything, including users, environments and host access',
  operator: 'containers, images, volumes, networks; no bind mounts or host namespaces',
  readonly: 'can look, cannot change anything',
};

const path = (username: string) => `/api/users/${encodeURIComponent(username)}`;

export function UsersView() {
  const me = useSessionUser();
  const toast = useToast();
  const confirm = useConfirm();
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<string | null>(null);
  const users = useQuery({ queryKey: qk.users(), queryFn: () => api<UserSummary[]>('/api/users'), enabled: me.role === 'admin' });
  const refresh = () => void client.invalidateQueries({ queryKey: qk.users() });

  if (me.role !== 'admin') return <><PageHeader title="Users" /><p className="text-sm text-muted">Only administrators manage users.</p></>;

  const setRole = async (u: UserSummary, role: Role) => {
    try {
      await api(path(u.username), { method: 'PATCH', body: { role } });
      toast.success(`${u.username} is now ${role}`);
    } catch (err) {
      toast.error(`Cannot change the role of ${u.username}: ${messageOf(err)}`);
    }
    refresh();
  };
  const remove = async (u: UserSummary) => {
    const answer = await confirm({ title: `Delete ${u.username}?`, message: 'The account and its sessions are removed.', confirmLabel: 'Delete', danger: true });
    if (!answer.confirmed) return;
    try {
      await api(path(u.username), { method: 'DELETE' });
      toast.success(`Deleted ${u.username}`);
    } catch (err) {
      toast.error(`Cannot delete ${u.username}: ${messageOf(err)}`);
    }
    refresh();
  };

  const columns: Column<UserSummary>[] = [
    { id: 'username', header: 'Username', width: 'minmax(10rem, 2fr)', sortValue: (u) => u.username, cell: (u) => <span className="font-medium">{u.username} {u.username === me.username && <Badge tone="accent">you</Badge>}</span> },
    {
      id: 'role', header: 'Role', width: '11rem', sortValue: (u) => u.role,
      cell: (u) => (
        <select aria-label={`Role of ${u.username}`} value={u.role} onChange={(e) => void setRole(u, e.target.value as Role)} className={`${inputBase} h-8`} disabled={u.username === me.username}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      ),
    },
    { id: 'created', header: 'Created', width: '12rem', sortValue: (u) => u.createdAt, cell: (u) => formatDate(u.createdAt) },
    {
      id: 'actions', header: '', width: '15rem',
      cell: (u) => (
        <span className="flex gap-1">
          <Button size="sm" onClick={() => setResetting(u.username)}>Set password</Button>
          <Button size="sm" variant="danger" disabled={u.username === me.username} onClick={() => void remove(u)}>Delete</Button>
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="Users" actions={<Button variant="primary" onClick={() => setCreating(true)}>Add user</Button>} />
      {users.error && <ErrorBox error={users.error} what="users" />}
      {users.isPending && <Loading what="users" />}
      {users.data && <ResourceTable<UserSummary> label="users" rows={users.data} columns={columns} rowId={(u) => u.username} searchText={(u) => `${u.username} ${u.role}`} initialSort={{ column: 'username' }} />}
      <ul className="mt-4 space-y-1 text-xs text-muted">{ROLES.map((r) => <li key={r}><strong className="text-fg">{r}</strong>: {ROLE_HELP[r]}</li>)}</ul>
      {creating && <CreateUser onClose={() => { setCreating(false); refresh(); }} />}
      {resetting && <SetPassword username={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}

function CreateUser({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const [v, setV] = useState({ username: '', password: '', role: 'operator' as Role });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = createUserRequestSchema.safeParse(v);
    setErrors(parsed.success ? {} : fieldErrors(parsed.error));
    if (!parsed.success) return;
    setBusy(true);
    try {
      await api('/api/users', { method: 'POST', body: parsed.data });
      toast.success(`Added ${v.username}`);
      onClose();
    } catch (err) {
      setErrors({ [err instanceof ApiError && err.field ? err.field : 'username']: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} title="Add a user" footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="user-form" variant="primary" busy={busy}>Add</Button></>}>
      <form id="user-form" onSubmit={submit} noValidate className="space-y-3">
        <TextField label="Username" name="username" autoComplete="off" value={v.username} onChange={(e) => setV({ ...v, username: e.target.value })} error={errors.username} autoFocus />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" value={v.password} onChange={(e) => setV({ ...v, password: e.target.value })} error={errors.password} hint={`At least ${MIN_PASSWORD_LENGTH} characters`} />
        <SelectField label="Role" value={v.role} onChange={(e) => setV({ ...v, role: e.target.value as Role })} hint={ROLE_HELP[v.role]}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </SelectField>
      </form>
    </Dialog>
  );
}

export function SetPassword({ username, onClose }: { username: string; onClose: () => void }) {
  const toast = useToast();
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD_LENGTH) {
      setError(`at least ${MIN_PASSWORD_LENGTH} characters`);
      return;
    }
    setBusy(true);
    try {
      await api(path(username), { method: 'PATCH', body: { password } });
      toast.success(`Password of ${username} changed; their other sessions are signed out`);
      onClose();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} title={`New password for ${username}`} footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" form="password-form" variant="primary" busy={busy}>Save</Button></>}>
      <form id="password-form" onSubmit={submit} noValidate>
        <TextField label="New password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={error} autoFocus />
      </form>
    </Dialog>
  );
}
