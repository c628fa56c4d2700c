import type IsolatedVm from 'isolated-vm';
import { isolatedVmReleaseFor } from './isolatedVmBuilds';

const forNode22 = isolatedVmReleaseFor(process.versions.modules) === 'isolated-vm-node22';

/**
 * isolated-vm as built for this Node: the one place that loads the native addon, inside the sandbox host process
 * (a plain Node started with --no-node-snapshot), never in the extension host.
 */
export const isolatedVm: typeof IsolatedVm = forNode22 ? require('isolated-vm-node22') : require('isolated-vm');

/** The release loaded, for the log. */
export const isolatedVmVersion: string = (forNode22 ? require('isolated-vm-node22/package.json') : require('isolated-vm/package.json')).version;
