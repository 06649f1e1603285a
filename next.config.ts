import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  typedRoutes: false,
  // `npm run lint` covers the whole repository with the layering rules; the build need not repeat it.
  eslint: { ignoreDuringBuilds: true },
  // The build type-checks what it bundles (the UI and the wire protocol); `npm run typecheck`
  // covers the whole repository, engine included.
  typescript: { ignoreBuildErrors: false, tsconfigPath: 'tsconfig.next.json' },
};

export default nextConfig;
