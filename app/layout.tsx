import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers.tsx';
import { THEME_COOKIE } from '@/components/shell/theme-cookie.ts';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Wharf', template: '%s · Wharf' },
  description: 'Containers, images, volumes and networks of Wharf and other Docker engines',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = (await cookies()).get(THEME_COOKIE)?.value;
  return (
    <html lang="en" data-theme={theme === 'light' || theme === 'dark' ? theme : 'system'}>
      <body className="antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
