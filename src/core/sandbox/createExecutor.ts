import { dirname, join } from 'node:path';
import type { Logger } from '../logger';
import type { Executor } from './contract/executor';
import { supportedNodes } from './contract/isolatedVmBuilds';
import { discoverSandboxNode, type HostProcess } from './launcher/nodeDiscovery';
import { QuickJsExecutor } from './quickJs/quickJsExecutor';
import { SandboxHostExecutor } from './launcher/sandboxHostExecutor';

export interface ExecutorChoice {
  /** A Node binary named by the user (setting or CODEMODE_NODE); tried first. */
  configuredNodePath?: string;
  /** The bundled sandbox host entry (dist/sandboxHost.js); QuickJS's `quickjs.wasm` and `quickJsWorker.js` are beside it. */
  hostScript: string;
  logger: Logger;
  /** Only tests pass this, to play another host (desktop VS Code's Electron). */
  host?: HostProcess;
}

/** isolated-vm in a sandbox host process when a plain Node it has a build for exists; otherwise the WASM QuickJS fallback. */
export async function createExecutor({ configuredNodePath, hostScript, logger, host }: ExecutorChoice): Promise<Executor> {
  const node = await discoverSandboxNode(configuredNodePath, host);
  for (const reason of node.rejected) {
    logger.debug(`sandbox node candidate rejected: ${reason}`);
  }
  if (node.path) {
    logger.info(`sandbox: isolated-vm in a sandbox host process on ${node.path} (${node.version})`);
    return new SandboxHostExecutor({ nodePath: node.path, hostScript, logger });
  }
  logger.warn(
    `sandbox: no ${supportedNodes} found (${node.rejected.join('; ')}); scripts run in the QuickJS (WASM) fallback, ` +
      `which is slower. Name a ${supportedNodes} (setting codeMode.sandbox.nodePath, or CODEMODE_NODE for the CLI) to use isolated-vm.`,
  );
  const dist = dirname(hostScript);
  return new QuickJsExecutor({ logger, wasmPath: join(dist, 'quickjs.wasm'), workerScript: join(dist, 'quickJsWorker.js') });
}
