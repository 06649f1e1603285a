'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { system } from '../api/docker.ts';
import { qk } from '../query-keys.ts';
import { useEnv } from '../shell/env.tsx';
import { useSessionUser } from '../shell/session.tsx';
import { applyTheme, currentTheme, type Theme } from '../shell/theme.tsx';
import { Button } from '../ui/button.tsx';
import { Card, PageHeader } from '../ui/layout.tsx';
import { SetPassword } from '../users/users.tsx';
import { EnvironmentSecurity } from './environment-security.tsx';

export function SettingsView() {
  const user = useSessionUser();
  const env = useEnv();
  const [theme, setTheme] = useState<Theme>('system');
  const [changing, setChanging] = useState(false);
  const version = useQuery({ queryKey: qk.version(env), queryFn: () => system.version(env) });
  useEffect(() => { setTheme(currentTheme()); }, []);

  const choose = (t: Theme) => {
    applyTheme(t);
    setTheme(t);
  };

  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Appearance">
          <fieldset className="space-y-2 text-sm">
            <legend className="mb-2 text-muted">Theme (remembered in this browser)</legend>
            {(['light', 'dark', 'system'] as const).map((t) => (
              <label key={t} className="flex items-center gap-2">
                <input type="radio" name="theme" checked={theme === t} onChange={() => choose(t)} />
                {t === 'system' ? 'Follow the operating system' : t === 'light' ? 'Light' : 'Dark'}
              </label>
            ))}
          </fieldset>
        </Card>
        <Card title="Your account">
          <p className="text-sm">Signed in as <strong>{user.username}</strong> ({user.role}).</p>
          {user.role === 'admin'
            ? <Button className="mt-3" onClick={() => setChanging(true)}>Change my password</Button>
            : <p className="mt-2 text-sm text-muted">Ask an administrator to change your password.</p>}
        </Card>
        <EnvironmentSecurity env={env} admin={user.role === 'admin'} />
        <Card title="Logs and live data">
          <ul className="list-disc space-y-1 pl-5 text-sm text-muted">
            <li>The log viewer keeps the last 100,000 lines of a container in the page; Download gets the whole log from the engine.</li>
            <li>Lists update from the engine&apos;s event stream over a websocket; nothing is polled.</li>
            <li>Console sessions close after 30 minutes without input or output.</li>
          </ul>
        </Card>
        <Card title="About">
          <p className="text-sm">Wharf dashboard. Engine of environment {env}: {version.data ? `${version.data.Version} (Docker API ${version.data.ApiVersion}, ${version.data.Os}/${version.data.Arch})` : '…'}</p>
        </Card>
      </div>
      {changing && <SetPassword username={user.username} onClose={() => setChanging(false)} />}
    </>
  );
}
