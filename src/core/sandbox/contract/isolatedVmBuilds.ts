import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * isolated-vm is a native addon with one prebuilt binary per Node ABI. Two releases of the same API cover the Nodes
 * in use: 7.x has builds for Node 24 and 26, 6.2 (installed as `isolated-vm-node22`) for Node 22 and 24.
 */
export type IsolatedVmRelease = 'isolated-vm' | 'isolated-vm-node22';

export const supportedNodes = 'Node 22, 24 or 26';

/** Literal paths, so the bundler leaves them to Node's resolution beside the bundle. */
const packageFiles: Record<IsolatedVmRelease, () => string> = {
  'isolated-vm': () => require.resolve('isolated-vm/package.json'),
  'isolated-vm-node22': () => require.resolve('isolated-vm-node22/package.json'),
};

/** The release with a prebuilt binary for a Node ABI (`process.versions.modules`) on this platform, newest first. */
export function isolatedVmReleaseFor(abi: string, platform = `${process.platform}-${process.arch}`): IsolatedVmRelease | undefined {
  return (Object.keys(packageFiles) as IsolatedVmRelease[]).find((release) => prebuiltAbis(release, platform).has(abi));
}

/** The version of an installed release, for the log. */
export function isolatedVmVersionOf(release: IsolatedVmRelease): string {
  return (JSON.parse(readFileSync(packageFiles[release](), 'utf8')) as { version: string }).version;
}

function prebuiltAbis(release: IsolatedVmRelease, platform: string): Set<string> {
  try {
    const files = readdirSync(join(dirname(packageFiles[release]()), 'prebuilds', platform));
    return new Set(files.flatMap((file) => /\.abi(\d+)\./.exec(file)?.[1] ?? []));
  } catch {
    return new Set();
  }
}
