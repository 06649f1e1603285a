'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { loginRequestSchema, MIN_PASSWORD_LENGTH, setupRequestSchema } from '@/server/protocol/index.ts';
import { api, ApiError, messageOf } from '../api/client.ts';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/field.tsx';
import { fieldErrors, type FieldErrors } from '../ui/zod-errors.ts';

/** First run: create the administrator with the setup token from the server log. Afterwards: sign in. */
export function SignIn({ setupRequired, next }: { setupRequired: boolean; next: string }) {
  const [values, setValues] = useState({ username: setupRequired ? 'admin' : '', password: '', confirm: '', token: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  // Until the page's script runs, the browser would submit the form itself, as a GET with the
  // password in the URL (and so in history and logs): the button stays disabled, which also
  // stops submission by Enter, and the form says POST in any case.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError('');
    const schema = setupRequired ? setupRequestSchema : loginRequestSchema;
    const parsed = schema.safeParse(values);
    const found = parsed.success ? {} : fieldErrors(parsed.error);
    if (setupRequired && values.password !== values.confirm) found.confirm = 'the passwords differ';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await api(setupRequired ? '/api/auth/setup' : '/api/auth/login', { method: 'POST', body: parsed.data, noRedirect: true });
      // A full load: the server renders the dashboard with the new session cookie.
      window.location.assign(next);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.field) setErrors({ [err.field]: err.message });
      else if (err instanceof ApiError && err.status === 429) setFormError(`Too many attempts: ${err.message}`);
      else setFormError(messageOf(err));
    }
  };

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <form onSubmit={submit} method="post" noValidate className="w-full max-w-sm space-y-4 rounded-lg border border-line bg-panel p-6 shadow-sm" data-form={setupRequired ? 'setup' : 'login'}>
        <div>
          <p className="text-2xl font-bold tracking-tight text-accent">Wharf</p>
          <h1 className="mt-1 text-lg font-semibold">{setupRequired ? 'Create the administrator' : 'Sign in'}</h1>
          {setupRequired && (
            <p className="mt-1 text-sm text-muted">
              No user exists yet. The one-time setup token is in the server log, on the line <code className="font-mono">wharf: setup token: …</code>
            </p>
          )}
        </div>
        <TextField label="Username" name="username" autoComplete="username" value={values.username} onChange={set('username')} error={errors.username} autoFocus />
        <TextField label="Password" name="password" type="password" autoComplete={setupRequired ? 'new-password' : 'current-password'}
          value={values.password} onChange={set('password')} error={errors.password}
          hint={setupRequired ? `At least ${MIN_PASSWORD_LENGTH} characters` : undefined} />
        {setupRequired && (
          <>
            <TextField label="Repeat the password" name="confirm" type="password" autoComplete="new-password" value={values.confirm} onChange={set('confirm')} error={errors.confirm} />
            <TextField label="Setup token" name="token" autoComplete="off" spellCheck={false} value={values.token} onChange={set('token')} error={errors.token} className="font-mono" />
          </>
        )}
        {formError && <p role="alert" className="rounded-md border border-danger/50 bg-danger/5 px-3 py-2 text-sm text-danger">{formError}</p>}
        <Button type="submit" variant="primary" busy={busy} disabled={!hydrated} className="w-full">{setupRequired ? 'Create and sign in' : 'Sign in'}</Button>
      </form>
    </main>
  );
}
