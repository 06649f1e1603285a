'use client';

import { useEffect, useState } from 'react';
import { THEME_COOKIE } from './theme-cookie.ts';

export type Theme = 'light' | 'dark' | 'system';

function effective(theme: Theme): 'light' | 'dark' {
  if (theme !== 'system') return theme;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Sets and remembers the theme: a cookie, so the server renders the right one on the next load. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.cookie = `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Strict`;
}

export function currentTheme(): Theme {
  const value = document.documentElement.dataset.theme;
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function ThemeToggle() {
  // Read after mount: the server rendered the attribute, but not what "system" resolves to.
  const [dark, setDark] = useState<boolean | null>(null);
  useEffect(() => { setDark(effective(currentTheme()) === 'dark'); }, []);
  const toggle = () => {
    const next = effective(currentTheme()) === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    setDark(next === 'dark');
  };
  return (
    <button type="button" onClick={toggle} aria-label={dark ? 'Switch to the light theme' : 'Switch to the dark theme'} data-theme-toggle
      className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-sm text-muted hover:bg-raised hover:text-fg">
      <span aria-hidden className="w-4 text-center">{dark === null ? '◐' : dark ? '☀' : '☾'}</span>
      <span>{dark ? 'Light theme' : 'Dark theme'}</span>
    </button>
  );
}
