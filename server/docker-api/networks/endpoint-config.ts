import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

const MAC = /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/;

/** EndpointSettings as clients send them (create's NetworkingConfig, network connect). */
export const endpointConfigSchema = z.object({
  Aliases: z.array(z.string()).nullish(),
  Links: z.array(z.string()).nullish(),
  IPAMConfig: z.object({
    IPv4Address: z.string().refine((s) => s === '' || isIPv4(s), 'invalid IPv4 address').optional(),
    IPv6Address: z.string().refine((s) => s === '' || isIPv6(s), 'invalid IPv6 address').optional(),
    LinkLocalIPs: z.array(z.string()).nullish(),
  }).passthrough().nullish(),
  MacAddress: z.string().refine((s) => s === '' || MAC.test(s), 'invalid MAC address').optional(),
  DriverOpts: z.record(z.string(), z.string()).nullish(),
}).passthrough();

export type EndpointConfigBody = z.infer<typeof endpointConfigSchema>;
