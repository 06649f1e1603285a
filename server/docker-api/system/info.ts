import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';
import { LOG_DRIVERS } from '../../../runtime/index.ts';

/** The log drivers `Plugins.Log` lists (dockerd leaves out `none`, which keeps nothing). */
const LOG_PLUGINS = LOG_DRIVERS.filter((d) => d !== 'none').sort();

export const routes: Route[] = [{
  method: 'GET',
  path: '/info',
  handler: async ({ engine, res }) => {
    const i = await engine.system.info();
    sendJSON(res, 200, {
      ...i,
      DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Using metacopy', 'false'], ['Native Overlay Diff', 'true']],
      Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Authorization: null, Log: LOG_PLUGINS },
      MemoryLimit: true, SwapLimit: true, KernelMemory: false, KernelMemoryTCP: false, CpuCfsPeriod: true, CpuCfsQuota: true,
      CPUShares: true, CPUSet: true, PidsLimit: true, IPv4Forwarding: true, BridgeNfIptables: true, BridgeNfIp6tables: true,
      Debug: false, NFd: 0, OomKillDisable: true, NGoroutines: 0, SystemTime: new Date().toISOString(), LoggingDriver: engine.config.logConfig?.Type ?? 'json-file',
      NEventsListener: 0, OSVersion: '', IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: { AllowNondistributableArtifactsCIDRs: [], AllowNondistributableArtifactsHostnames: [], InsecureRegistryCIDRs: ['127.0.0.0/8'], IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true } }, Mirrors: [] },
      GenericResources: null, HttpProxy: '', HttpsProxy: '', NoProxy: '', Labels: [], ExperimentalBuild: false,
      Runtimes: { runc: { path: engine.config.runtime } }, DefaultRuntime: 'runc',
      Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
      LiveRestoreEnabled: true, Isolation: '', InitBinary: '', ContainerdCommit: { ID: '', Expected: '' }, RuncCommit: { ID: '', Expected: '' }, InitCommit: { ID: '', Expected: '' },
      SecurityOptions: [], CDISpecDirs: [], Containerd: null, Warnings: [],
    });
  },
}];
