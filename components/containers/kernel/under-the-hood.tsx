'use client';

import { useQuery } from '@tanstack/react-query';
import { Button } from '../../ui/button.tsx';
import { JsonView } from '../../ui/json-view.tsx';
import { Card, ErrorBox, Loading } from '../../ui/layout.tsx';
import { SimpleTable } from '../../ui/resource-details.tsx';
import { kernelKey, kernelView } from './api.ts';
import { Mono, PartCard } from './part.tsx';
import { Cgroup, NatRules, Namespaces, Network, Overlay } from './sections.tsx';

const NOT_RUNNING = 'Exists only while the container runs.';

/**
 * The kernel's view of one container: what isolates it (namespaces), how it is wired (veth,
 * bridge, NAT), what bounds it (cgroup), what its files are made of (overlay layers) and the
 * OCI spec runc was given. Everything is rendered as text.
 */
export function UnderTheHood({ env, container }: { env: string; container: string }) {
  const view = useQuery({ queryKey: kernelKey(env, container), queryFn: () => kernelView(env, container), refetchInterval: 10_000 });
  const k = view.data;
  if (view.error) return <ErrorBox error={view.error} what="the kernel view" />;
  if (!k) return <Loading what="the kernel view" />;
  return (
    <div className="space-y-4" data-kernel-view>
      <div className="flex items-center gap-3 text-sm">
        <p className="flex-1" data-kernel-status>
          {k.running ? <>Running as host pid <Mono>{k.pid}</Mono>, network mode <Mono>{k.networkMode}</Mono>.</>
            : <>This container is not running: its namespaces, cgroup and network are gone. What remains on disk is shown.</>}
        </p>
        <Button size="sm" onClick={() => void view.refetch()} busy={view.isFetching}>Refresh</Button>
      </div>
      <div className="grid gap-4 xl:grid-cols-2">
        <PartCard title="Namespaces" part={k.namespaces} absent={NOT_RUNNING}>{(list) => <Namespaces list={list} />}</PartCard>
        <PartCard title="Cgroup" part={k.cgroup} absent={NOT_RUNNING}>{(cg) => <Cgroup cg={cg} />}</PartCard>
        <PartCard title="Network namespace" part={k.network} absent={k.running ? 'The container uses the host\'s network namespace.' : NOT_RUNNING} wide>
          {(net) => <Network net={net} />}
        </PartCard>
        <PartCard title="NAT rules (its published ports and outbound masquerade)" part={k.nat} absent={NOT_RUNNING} wide>{(rules) => <NatRules rules={rules} />}</PartCard>
        <PartCard title="Overlay root filesystem" part={k.overlay} absent="" wide>{(ov) => <Overlay ov={ov} />}</PartCard>
        <Card title="Mounts" className="xl:col-span-2">
          <SimpleTable headers={['Type', 'Source', 'Destination', 'Mode']} empty="No mounts besides the root filesystem."
            rows={k.mounts.map((m) => [<span key="t">{m.Type}</span>, <Mono key="s">{m.Source}</Mono>, <Mono key="d">{m.Destination}</Mono>, <span key="m">{m.RW ? 'rw' : 'ro'}{m.Mode ? ` (${m.Mode})` : ''}</span>])} />
        </Card>
      </div>
      <PartCard title="OCI runtime spec (config.json)" part={k.spec} absent="The bundle's config.json exists only while the container runs; start it to see the spec runc was given.">
        {(spec) => <JsonView value={spec} name="config.json" />}
      </PartCard>
    </div>
  );
}
