/** The OCI runtime-spec builder: a default spec plus small pure option functions. */
export * from './types.ts';
export * from './defaults.ts';
export * from './caps.ts';
export * from './options.ts';
export * from './env.ts';
export * from './user.ts';
export * from './scope.ts';
export * from './host.ts';
export * from './bundle.ts';
