import { docker } from '../api/docker.ts';
import type { NetworkConnectBody, NetworkCreateBody, NetworkDisconnectBody } from './types.ts';

const id = encodeURIComponent;

/** The network verbs with their full Docker API bodies (endpoint aliases and addresses, IPAM pools, labels). */
export const networkVerbs = {
  create: (env: string, body: NetworkCreateBody) => docker<{ Id: string; Warning?: string }>(env, '/networks/create', { method: 'POST', body }),
  connect: (env: string, network: string, body: NetworkConnectBody) => docker<void>(env, `/networks/${id(network)}/connect`, { method: 'POST', body }),
  disconnect: (env: string, network: string, body: NetworkDisconnectBody) => docker<void>(env, `/networks/${id(network)}/disconnect`, { method: 'POST', body }),
};
