import type { KernelViewBody } from '@/server/protocol/kernel-view.ts';
import { api } from '../../api/client.ts';
import { qk } from '../../query-keys.ts';

/** Below the container's own key, so the events that refresh the container refresh this too. */
export const kernelKey = (env: string, id: string) => [...qk.container(env, id), 'kernel'] as const;

export function kernelView(env: string, id: string): Promise<KernelViewBody> {
  return api<KernelViewBody>(`/api/environments/${encodeURIComponent(env)}/containers/${encodeURIComponent(id)}/kernel`);
}
