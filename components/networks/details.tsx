'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { networks } from '../api/docker.ts';
import { shortId } from '../format.ts';
import { qk } from '../query-keys.ts';
import { Button } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { ErrorBox, Loading } from '../ui/layout.tsx';
import { KeyValueTable, SimpleTable } from '../ui/resource-details.tsx';

const mono = 'font-mono text-xs';

/** `docker network inspect`: IPAM pools, flags, labels and the connected containers with their addresses. */
export function NetworkDetails({ env, id, onClose }: { env: string; id: string; onClose: () => void }) {
  const net = useQuery({ queryKey: qk.network(env, id), queryFn: () => networks.inspect(env, id) });
  const n = net.data;
  return (
    <Dialog open onClose={onClose} title={n ? `Network ${n.Name}` : 'Network'} wide footer={<Button onClick={onClose}>Close</Button>}>
      {net.error && <ErrorBox error={net.error} what="the network" />}
      {!n && !net.error && <Loading what="the network" />}
      {n && (
        <div className="space-y-4 text-sm" data-network-details={n.Name}>
          <p className={`${mono} break-all text-muted`}>{n.Id}</p>
          <p>Driver <b>{n.Driver}</b>, scope <b>{n.Scope}</b>{n.Internal ? ', internal (no way out)' : ''}{n.EnableIPv6 ? ', IPv6' : ''}.</p>
          <SimpleTable headers={['Subnet', 'Gateway', 'IP range']} empty="No IPAM pool."
            rows={(n.IPAM.Config ?? []).map((c) => [<span key="s" className={mono}>{c.Subnet ?? '—'}</span>, <span key="g" className={mono}>{c.Gateway ?? '—'}</span>, <span key="r" className={mono}>{c.IPRange ?? '—'}</span>])} />
          <h3 className="font-semibold">Connected containers</h3>
          <SimpleTable headers={['Container', 'IPv4', 'IPv6', 'MAC']} empty="No container is connected."
            rows={Object.entries(n.Containers ?? {}).map(([cid, c]) => [
              <Link prefetch={false} key="l" href={`/containers/${encodeURIComponent(cid)}`} className="text-accent hover:underline" onClick={onClose}>{c.Name || shortId(cid)}</Link>,
              <span key="4" className={mono} data-member-ip={c.Name}>{c.IPv4Address || '—'}</span>,
              <span key="6" className={mono}>{c.IPv6Address || '—'}</span>,
              <span key="m" className={mono}>{c.MacAddress || '—'}</span>,
            ])} />
          <h3 className="font-semibold">Labels</h3>
          <KeyValueTable entries={Object.entries(n.Labels ?? {})} keyHeader="Label" />
          {Object.keys(n.Options ?? {}).length > 0 && (<><h3 className="font-semibold">Driver options</h3><KeyValueTable entries={Object.entries(n.Options ?? {})} keyHeader="Option" /></>)}
        </div>
      )}
    </Dialog>
  );
}
