import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';

export const routes: Route[] = [{
  method: 'GET',
  path: '/version',
  handler: async ({ engine, res }) => {
    const v = engine.system.version();
    sendJSON(res, 200, {
      Platform: { Name: 'Wharf Engine' },
      Components: [{ Name: 'Engine', Version: v.Version, Details: { ApiVersion: v.ApiVersion, MinAPIVersion: v.MinAPIVersion, Os: v.Os, Arch: v.Arch, KernelVersion: v.KernelVersion, GitCommit: v.GitCommit, GoVersion: v.GoVersion, Experimental: 'false', BuildTime: v.BuildTime } }],
      ...v,
      Experimental: false,
    });
  },
}];
