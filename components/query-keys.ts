/**
 * Every TanStack Query key of the dashboard. Keys start with the environment, so engine
 * events for one environment invalidate only its data, and switching environments never
 * shows another engine's cache.
 */
export const qk = {
  auth: () => ['auth'] as const,
  users: () => ['users'] as const,
  environments: () => ['environments'] as const,
  registries: () => ['registries'] as const,
  audit: (filters: Record<string, string>) => ['audit', filters] as const,
  templates: () => ['templates'] as const,
  stacks: () => ['stacks'] as const,
  stack: (name: string) => ['stacks', name] as const,
  env: (env: string) => ['env', env] as const,
  security: (env: string) => ['env', env, 'security'] as const,
  info: (env: string) => ['env', env, 'system', 'info'] as const,
  version: (env: string) => ['env', env, 'system', 'version'] as const,
  df: (env: string) => ['env', env, 'system', 'df'] as const,
  containers: (env: string) => ['env', env, 'containers'] as const,
  containerList: (env: string) => ['env', env, 'containers', 'list'] as const,
  container: (env: string, id: string) => ['env', env, 'containers', 'one', id] as const,
  containerTop: (env: string, id: string) => ['env', env, 'containers', 'one', id, 'top'] as const,
  images: (env: string) => ['env', env, 'images'] as const,
  imageList: (env: string) => ['env', env, 'images', 'list'] as const,
  image: (env: string, id: string) => ['env', env, 'images', 'one', id] as const,
  imageHistory: (env: string, id: string) => ['env', env, 'images', 'one', id, 'history'] as const,
  imageLayers: (env: string) => ['env', env, 'images', 'layers'] as const,
  volumes: (env: string) => ['env', env, 'volumes'] as const,
  volumeList: (env: string) => ['env', env, 'volumes', 'list'] as const,
  networks: (env: string) => ['env', env, 'networks'] as const,
  networkList: (env: string) => ['env', env, 'networks', 'list'] as const,
  network: (env: string, id: string) => ['env', env, 'networks', 'one', id] as const,
  updates: (env: string) => ['env', env, 'updates'] as const,
};
