'use client';

import { LOCAL_ENVIRONMENT_ID } from '@/server/protocol/index.ts';
import { Button } from '../ui/button.tsx';
import { useUpdateActions } from './use-updates.ts';

/** Compares every image in use with its registry now (a HEAD per tag; nothing is pulled). */
export function CheckUpdatesButton({ env }: { env: string }) {
  const { check } = useUpdateActions(env);
  if (env !== LOCAL_ENVIRONMENT_ID) return null;
  return <Button busy={check.isPending} onClick={() => check.mutate()} data-check-updates>Check for updates</Button>;
}
