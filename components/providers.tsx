'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError } from './api/client.ts';
import { ConfirmProvider } from './ui/confirm.tsx';
import { ToastProvider } from './ui/toasts.tsx';

function makeClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Engine events invalidate what changed; nothing needs refetching on a timer or on focus.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
      },
    },
  });
}

/** What every page needs, signed in or not. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeClient);
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>
        <ConfirmProvider>{children}</ConfirmProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
