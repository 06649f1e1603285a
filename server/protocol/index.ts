/**
 * The wire contract between the dashboard server and the UI: DTOs, zod schemas and socket.io
 * event maps. Imported by app/ and components/, so nothing here may use Node-only modules.
 */
export * from './errors.ts';
export * from './auth.ts';
export * from './users.ts';
export * from './environments.ts';
export * from './ack.ts';
export * from './logs.ts';
export * from './exec.ts';
export * from './stats.ts';
export * from './events.ts';
export * from './socket.ts';
export * from './volumes.ts';
export * from './registries.ts';
export * from './image-hints.ts';
export * from './audit.ts';
export * from './updates.ts';
export * from './templates.ts';
export * from './stacks.ts';
export * from './security.ts';
