import { execFile } from 'node:child_process';

/** isolated-vm 7 ships prebuilds for Node 24 and newer. */
export const minimumSandboxNodeMajor = 24;

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
  isElectron: boolean;
  /** The command looked up on PATH last. */
  pathCommand: string;
}

const thisProcess: HostProcess = {
  execPath: process.execPath,
  version: process.version,
  isElectron: Boolean(process.versions.electron),
  pathCommand: 'node',
};

/**
 * Finds a plain Node for the sandbox host: the configured path, else this process when it is plain Node (not
 * Electron) and new enough, else `node` on PATH.
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
    const version = candidate === host.execPath && !host.isElectron ? host.version : await versionOf(candidate);
    if (version === undefined) {
      rejected.push(`${candidate}: not found or not a plain Node`);
    } else if (majorOf(version) < minimumSandboxNodeMajor) {
      rejected.push(`${candidate}: ${version} is older than Node ${minimumSandboxNodeMajor}`);
    } else {
      return { path: candidate, version, rejected };
    }
  }
  return { rejected };
}

function versionOf(command: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    // An Electron binary answers "electron" here (or not at all without ELECTRON_RUN_AS_NODE): both are rejected.
    execFile(command, ['-p', 'process.versions.electron ? "electron" : process.version'], { timeout: 5_000 }, (error, stdout) => {
      const text = stdout.trim();
      resolve(error || !/^v\d+/.test(text) ? undefined : text);
    });
  });
}

function majorOf(version: string): number {
  return Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
}
