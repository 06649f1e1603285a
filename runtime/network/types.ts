/** Network records in the Docker Engine API's shapes, so the API passes them through. */
export interface IPAMConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface IPAM {
  Driver: string;
  Options: Record<string, string> | null;
  Config: IPAMConfig[];
}

export interface NetworkRecord {
  Name: string;
  Id: string;
  /** RFC 3339 with nanoseconds. */
  Created: string;
  Scope: 'local';
  Driver: string;
  EnableIPv4: boolean;
  EnableIPv6: boolean;
  IPAM: IPAM;
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** An attached container, as `network inspect` lists it under Containers. */
export interface NetworkEndpoint {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  IPv4Address: string;
  IPv6Address: string;
}

export interface NetworkCreateRequest {
  Name?: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  ConfigOnly?: boolean;
  ConfigFrom?: { Network?: string } | null;
  IPAM?: { Driver?: string; Config?: IPAMConfig[] | null; Options?: Record<string, string> | null } | null;
  EnableIPv4?: boolean;
  EnableIPv6?: boolean;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  /** Deprecated in Docker 25; duplicates are always refused. */
  CheckDuplicate?: boolean;
}

/** The container fields networks care about (structural: containers/ sits above this layer). */
export interface NetworkUser {
  id: string;
  name: string;
  record: {
    Config: { Hostname: string; ExposedPorts?: Record<string, object> };
    HostConfig: {
      NetworkMode?: string;
      PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
      PublishAllPorts?: boolean;
      Links?: string[] | null;
      Dns?: string[] | null;
      DnsSearch?: string[] | null;
      DnsOptions?: string[] | null;
      ExtraHosts?: string[] | null;
    };
  };
  state: { Running: boolean };
}

/** EndpointSettings a client asks for (NetworkingConfig.EndpointsConfig.<net>, network connect). */
export interface EndpointConfig {
  Aliases?: string[] | null;
  Links?: string[] | null;
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] | null } | null;
  MacAddress?: string;
  DriverOpts?: Record<string, string> | null;
}

export interface PortBindingView { HostIp: string; HostPort: string }
/** NetworkSettings.Ports: `80/tcp` → host bindings, null for exposed but unpublished. */
export type PortMap = Record<string, PortBindingView[] | null>;

/** What the network service needs to know of a container (structural: containers/ sits above). */
export interface NetworkedContainer {
  id: string;
  name: string;
  hostname: string;
  networkMode: string;
  exposedPorts: string[];
  portBindings: Record<string, { HostIp?: string; HostPort?: string }[] | null>;
  publishAll: boolean;
  /** --link entries `name:alias` (HostConfig.Links). */
  links: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  extraHosts: string[];
}

/** What /etc/hosts and resolv.conf say once a container's interfaces are up. */
export interface NetworkFiles {
  /** Lines for /etc/hosts after the localhost block (own address, links, --add-host). */
  hosts: string[];
  /** resolv.conf text. */
  resolvConf: string;
}

/**
 * The outcome of attach, in two steps: the namespace runc joins exists when attach resolves;
 * the interfaces are set up after that, beside the task's creation, and `connected` resolves
 * once they are up. The task must not start before; a failed start awaits `connected` (it
 * may reject) before it detaches.
 */
export interface Attachment {
  /** A namespace file, or 'host' to share the host's. */
  netns: string;
  /** The --link children's addresses on the default bridge, for their environment variables. */
  linked?: { id: string; ip: string }[];
  connected: Promise<NetworkFiles>;
}

/** The container lifecycle's view of networking: attach before the task starts, detach after it stops. */
export interface ContainerNetworking {
  attach(c: NetworkedContainer): Promise<Attachment>;
  detach(containerId: string): Promise<void>;
  /** The container is removed: drop its memberships too. */
  forget(containerId: string): Promise<void>;
}
