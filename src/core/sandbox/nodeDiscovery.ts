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

/**
 * Finds a plain Node for the sandbox host: the configured path, else this process when it is plain Node (not
 * Electron) and new enough, else `node` on PATH.
 */
export async function discoverSandboxNode(configured?: string): Promise<NodeDiscovery> {
  const rejected: string[] = [];
  const candidates: string[] = [];
  if (configured) {
    candidates.push(configured);
  }
  if (!process.versions.electron) {
    candidates.push(process.execPath);
  } else {
    rejected.push(`${process.execPath}: Electron's Node cannot load isolated-vm`);
  }
  candidates.push('node');
  for (const candidate of new Set(candidates)) {
    const version = candidate === process.execPath ? process.version : await versionOf(candidate);
    if (version === undefined) {
      rejected.push(`${candidate}: not found or not runnable`);
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
    // ELECTRON_RUN_AS_NODE is not set on purpose: an Electron binary would then not answer like Node and is rejected.
    execFile(command, ['-p', 'process.versions.electron ? "electron" : process.version'], { timeout: 5_000 }, (error, stdout) => {
      const text = stdout.trim();
      resolve(error || !/^v\d+/.test(text) ? undefined : text);
    });
  });
}

function majorOf(version: string): number {
  return Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
}
