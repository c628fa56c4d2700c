import { execFile } from 'node:child_process';
import { isolatedVmReleaseFor, supportedNodes } from '../contract/isolatedVmBuilds';

export interface NodeDiscovery {
  /** A Node binary that can host the sandbox, if one was found. */
  path?: string;
  version?: string;
  /** What was tried and why it was not used, for the log. */
  rejected: string[];
}

/** Facts about the current process, injectable so tests can play desktop VS Code's Electron host. */
export interface HostProcess {
  execPath: string;
  version: string;
  /** `process.versions.modules`: the ABI a native addon must be built for. */
  abi: string;
  isElectron: boolean;
  /** The command looked up on PATH last. */
  pathCommand: string;
}

const thisProcess: HostProcess = {
  execPath: process.execPath,
  version: process.version,
  abi: process.versions.modules,
  isElectron: Boolean(process.versions.electron),
  pathCommand: 'node',
};

/**
 * Finds a plain Node for the sandbox host: the configured path, else this process when it is plain Node (not
 * Electron), else `node` on PATH; the first whose ABI isolated-vm has a build for.
 */
export async function discoverSandboxNode(configured?: string, host: HostProcess = thisProcess): Promise<NodeDiscovery> {
  const rejected: string[] = [];
  const candidates: string[] = configured ? [configured] : [];
  if (host.isElectron) {
    rejected.push(`${host.execPath}: Electron's Node cannot load isolated-vm`);
  } else {
    candidates.push(host.execPath);
  }
  candidates.push(host.pathCommand);
  for (const candidate of new Set(candidates)) {
    const found = candidate === host.execPath && !host.isElectron ? host : await versionOf(candidate);
    if (found === undefined) {
      rejected.push(`${candidate}: not found or not a plain Node`);
    } else if (!isolatedVmReleaseFor(found.abi)) {
      rejected.push(`${candidate}: isolated-vm has no build for ${found.version} (it has for ${supportedNodes})`);
    } else {
      return { path: candidate, version: found.version, rejected };
    }
  }
  return { rejected };
}

function versionOf(command: string): Promise<{ version: string; abi: string } | undefined> {
  return new Promise((resolve) => {
    // An Electron binary answers "electron" here (or not at all without ELECTRON_RUN_AS_NODE): both are rejected.
    const probe = 'process.versions.electron ? "electron" : process.version + " " + process.versions.modules';
    execFile(command, ['-p', probe], { timeout: 5_000 }, (error, stdout) => {
      const [version, abi] = stdout.trim().split(' ');
      resolve(error || !/^v\d+/.test(version) || !abi ? undefined : { version, abi });
    });
  });
}
