import { join } from 'node:path';
import type { ServerConfig } from '../../../src/core/config/serverConfig';
import { projectRoot, startRemoteTestServer, stdioTestServer } from '../helpers';

/** Built by `node esbuild.mjs --tests` from test/fixtures/v2TestServer.ts. */
export const v2TestServerScript = join(projectRoot, 'out', 'fixtures', 'v2TestServer.js');

/** A test server the hub's tests run against, in each protocol era it can be met in. */
export interface FixtureServer {
  title: string;
  stdio(name?: string, extraArgs?: string[]): ServerConfig;
  /** The remote transports it serves. */
  remoteModes: Array<'--http' | '--sse'>;
  startRemote(mode: '--http' | '--sse'): ReturnType<typeof startRemoteTestServer>;
}

function v2Fixture(title: string, eraArgs: string[]): FixtureServer {
  return {
    title,
    stdio: (name = 'test', extraArgs = []) => ({
      name,
      type: 'stdio',
      command: process.execPath,
      args: [v2TestServerScript, ...eraArgs, ...extraArgs],
      env: {},
    }),
    remoteModes: ['--http'],
    startRemote: (mode) => startRemoteTestServer(mode, v2TestServerScript, eraArgs),
  };
}

/** SDK v1 (2025 era only); SDK v2 in its default mode (both eras); SDK v2 refusing the 2025 era. */
export const fixtureServers: FixtureServer[] = [
  {
    title: 'SDK v1 server, 2025-11-25',
    stdio: stdioTestServer,
    remoteModes: ['--http', '--sse'],
    startRemote: (mode) => startRemoteTestServer(mode),
  },
  v2Fixture('SDK v2 server, default mode', []),
  v2Fixture('SDK v2 server, 2026-07-28 only', ['--modern-only']),
];
