import type IsolatedVm from 'isolated-vm';
import { isolatedVmReleaseFor, isolatedVmVersionOf } from '../contract/isolatedVmBuilds';

const release = isolatedVmReleaseFor(process.versions.modules) ?? 'isolated-vm';

/**
 * isolated-vm as built for this Node: the one place that loads the native addon, inside the sandbox host process
 * (a plain Node started with --no-node-snapshot), never in the extension host. Without a build for this Node,
 * 7.x's own loader throws its clear error.
 */
export const isolatedVm: typeof IsolatedVm = release === 'isolated-vm-node22' ? require('isolated-vm-node22') : require('isolated-vm');

/** The release loaded, for the log. */
export const isolatedVmVersion = isolatedVmVersionOf(release);
