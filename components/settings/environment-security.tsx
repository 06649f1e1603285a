'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { SECURITY_RULE_LABELS, SECURITY_RULES, type SecuritySettings } from '@/server/protocol/index.ts';
import { api, messageOf } from '../api/client.ts';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { Card } from '../ui/layout.tsx';
import { useToast } from '../ui/toasts.tsx';

const path = (env: string) => `/api/environments/${encodeURIComponent(env)}/security`;

/**
 * What non-administrators may do on this environment beyond an unprivileged container. Every
 * user sees which rules are relaxed; administrators change them.
 */
export function EnvironmentSecurity({ env, admin }: { env: string; admin: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const current = useQuery({ queryKey: qk.security(env), queryFn: () => api<SecuritySettings>(path(env)) });
  const [draft, setDraft] = useState<SecuritySettings | undefined>();
  useEffect(() => { setDraft(current.data); }, [current.data]);
  const save = useMutation({
    mutationFn: (settings: SecuritySettings) => api<SecuritySettings>(path(env), { method: 'PUT', body: settings }),
    onSuccess: (saved) => {
      client.setQueryData(qk.security(env), saved);
      toast.success('Security settings saved');
    },
    onError: (e) => toast.error(`Saving the security settings failed: ${messageOf(e)}`),
  });
  const changed = !!draft && !!current.data && SECURITY_RULES.some((r) => draft[r] !== current.data[r]);
  const relaxed = current.data ? SECURITY_RULES.filter((r) => current.data[r]) : [];
  return (
    <Card
      title={`Security of environment ${env}`}
      actions={admin && <Button size="sm" disabled={!changed} busy={save.isPending} onClick={() => draft && save.mutate(draft)}>Save</Button>}
    >
      <p className="mb-3 text-sm text-muted">
        Operators and readonly users get what an unprivileged container can do. Each rule ticked here
        lets them use it on this environment; administrators always can.
        {' '}{relaxed.length === 0 ? 'Nothing is relaxed.' : `Relaxed: ${relaxed.length}.`}
      </p>
      <fieldset className="space-y-2 text-sm" disabled={!admin} aria-label="Allow non-administrators">
        {SECURITY_RULES.map((rule) => (
          <label key={rule} className="flex items-center gap-2">
            <input
              type="checkbox" name={rule} checked={draft?.[rule] ?? false}
              onChange={(e) => draft && setDraft({ ...draft, [rule]: e.target.checked })}
            />
            <span>{SECURITY_RULE_LABELS[rule]}</span>
            {current.data?.[rule] && <span className="rounded bg-amber-500/15 px-1.5 text-xs text-amber-700 dark:text-amber-300">relaxed</span>}
          </label>
        ))}
      </fieldset>
    </Card>
  );
}
