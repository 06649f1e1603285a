/**
 * The network shapes of the Docker Engine API (v1.47) the network views use beyond the shared
 * docker types: the endpoint of a container on a network, and the bodies of network create,
 * connect and disconnect, spelled as in the spec.
 */
export interface EndpointIPAMConfig { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] }

export interface EndpointSettingsFull {
  IPAMConfig?: EndpointIPAMConfig | null;
  Links?: string[] | null;
  MacAddress?: string;
  Aliases?: string[] | null;
  DriverOpts?: Record<string, string> | null;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  DNSNames?: string[] | null;
}

export interface IPAMPool { Subnet?: string; IPRange?: string; Gateway?: string; AuxiliaryAddresses?: Record<string, string> }

export interface NetworkCreateBody {
  Name: string;
  CheckDuplicate?: boolean;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Config?: IPAMPool[]; Options?: Record<string, string> };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

/** POST /networks/{id}/connect. */
export interface NetworkConnectBody { Container: string; EndpointConfig?: { Aliases?: string[]; IPAMConfig?: EndpointIPAMConfig } }

/** POST /networks/{id}/disconnect. */
export interface NetworkDisconnectBody { Container: string; Force?: boolean }

/** NetworkingConfig of POST /containers/create: one endpoint per network to join at create. */
export interface NetworkingConfig { EndpointsConfig: Record<string, EndpointSettingsFull> }

/** The HostConfig fields about names the network section sets. */
export interface NetworkHostConfig { Dns?: string[] | null; DnsSearch?: string[] | null; ExtraHosts?: string[] | null }
