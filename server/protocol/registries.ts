import { z } from 'zod';

/**
 * A registry the dashboard keeps credentials for. The password never leaves the server:
 * the DTO only says whether one is stored.
 */
export const registrySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** As image references name it: `docker.io`, `registry.example.com:5000`. */
  address: z.string(),
  username: z.string(),
  hasPassword: z.boolean(),
});
export type Registry = z.infer<typeof registrySchema>;
export const registryListSchema = z.array(registrySchema);

/** `host`, `host:port` or a URL of one; paths are not part of a registry's address. */
const addressSchema = z.string().trim().min(1, 'address is required').max(255)
  .transform((v) => v.replace(/^https?:\/\//, '').replace(/\/+$/, ''))
  .refine((v) => /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(v), 'address must be a host or host:port, e.g. registry.example.com:5000 or docker.io');

/** POST /api/registries (admin) → 201 Registry; also the body of POST /api/registries/test. */
export const createRegistryRequestSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(64),
  address: addressSchema,
  username: z.string().max(255).default(''),
  password: z.string().max(4096).default(''),
});
export type CreateRegistryRequest = z.input<typeof createRegistryRequestSchema>;

/** PUT /api/registries/:id (admin): an absent password keeps the stored one. */
export const updateRegistryRequestSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(64).optional(),
  address: addressSchema.optional(),
  username: z.string().max(255).optional(),
  password: z.string().max(4096).optional(),
});
export type UpdateRegistryRequest = z.input<typeof updateRegistryRequestSchema>;

/** POST /api/registries/:id/test and /api/registries/test → 200 RegistryTestResult. */
export const registryTestResultSchema = z.object({ ok: z.boolean(), message: z.string() });
export type RegistryTestResult = z.infer<typeof registryTestResultSchema>;
