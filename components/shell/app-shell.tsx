'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import type { SessionUser } from '@/server/protocol/index.ts';
import { api, messageOf } from '../api/client.ts';
import { RealtimeProvider, useRealtimeStatus } from '../realtime/provider.tsx';
import { useEngineEvents } from '../realtime/use-engine-events.ts';
import { useToast } from '../ui/toasts.tsx';
import { EnvProvider, useEnv } from './env.tsx';
import { EnvSwitcher } from './env-switcher.tsx';
import { Icon } from './icon.tsx';
import { isActive, NAV } from './nav.ts';
import { SessionContext } from './session.tsx';
import { ThemeToggle } from './theme.tsx';

/** The signed-in frame: sidebar, environment switcher, live connection, and the page. */
export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  return (
    <SessionContext.Provider value={user}>
      <EnvProvider>
        <RealtimeProvider>
          <EngineEvents />
          <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-panel focus:px-3 focus:py-2">Skip to content</a>
          <div className="flex h-screen min-h-0 overflow-hidden">
            <Sidebar user={user} />
            <main id="main" tabIndex={-1} className="min-w-0 flex-1 overflow-auto focus:outline-none">
              <div className="mx-auto flex min-h-full max-w-[1600px] flex-col p-5">{children}</div>
            </main>
          </div>
        </RealtimeProvider>
      </EnvProvider>
    </SessionContext.Provider>
  );
}

function EngineEvents() {
  useEngineEvents(useEnv());
  return null;
}

function Sidebar({ user }: { user: SessionUser }) {
  const pathname = usePathname();
  const [collapsed, setCollapsed] = useState(false);
  return (
    <nav aria-label="Main" className={`flex shrink-0 flex-col gap-3 border-r border-line bg-panel py-3 ${collapsed ? 'w-14' : 'w-52'}`}>
      <div className="flex items-center justify-between px-3">
        {!collapsed && <Link href="/" className="text-lg font-bold tracking-tight text-accent">Wharf</Link>}
        <button type="button" onClick={() => setCollapsed((c) => !c)} aria-label={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
          className="rounded px-1.5 text-muted hover:bg-raised hover:text-fg">{collapsed ? '»' : '«'}</button>
      </div>
      {!collapsed && <EnvSwitcher />}
      <ul className="flex flex-1 flex-col gap-0.5 overflow-y-auto px-2">
        {NAV.filter((item) => !item.adminOnly || user.role === 'admin').map((item) => {
          const active = isActive(pathname, item.href);
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={active ? 'page' : undefined} title={collapsed ? item.label : undefined}
                className={`flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm ${active ? 'bg-accent/10 font-medium text-accent' : 'text-fg hover:bg-raised'}`}>
                <Icon path={item.icon} />
                {!collapsed && item.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="flex flex-col gap-1 border-t border-line px-2 pt-2">
        <ConnectionStatus collapsed={collapsed} />
        {!collapsed && <ThemeToggle />}
        <UserBox user={user} collapsed={collapsed} />
      </div>
    </nav>
  );
}

function ConnectionStatus({ collapsed }: { collapsed: boolean }) {
  const status = useRealtimeStatus();
  const tone = status === 'connected' ? 'bg-success' : status === 'connecting' ? 'bg-warning' : 'bg-danger';
  const text = status === 'connected' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline, reconnecting';
  return (
    <p className="flex items-center gap-2 px-2 py-1 text-xs text-muted" role="status" data-realtime={status} title={`Live updates: ${text}`}>
      <span aria-hidden className={`size-2 rounded-full ${tone}`} />
      {!collapsed && text}
    </p>
  );
}

function UserBox({ user, collapsed }: { user: SessionUser; collapsed: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const logout = async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
      router.replace('/login');
      router.refresh();
    } catch (err) {
      toast.error(`Sign-out failed: ${messageOf(err)}`);
    }
  };
  return (
    <div className="flex items-center gap-2 px-2 py-1">
      {!collapsed && (
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-medium" data-username>{user.username}</p>
          <p className="text-xs text-muted">{user.role}</p>
        </div>
      )}
      <button type="button" onClick={logout} className="rounded-md border border-line px-2 py-1 text-xs hover:bg-raised" data-logout>
        Sign out
      </button>
    </div>
  );
}
