import { strict as assert } from 'node:assert';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../src/core/engine/engine';
import { McpHub } from '../../../src/core/mcp/hub';
import { createExecutor } from '../../../src/core/sandbox/createExecutor';
import { discoverSandboxNode, type HostProcess } from '../../../src/core/sandbox/nodeDiscovery';
import { RecordingLogger, noInputs, sandboxHostScript, stdioTestServer } from '../helpers';

/** A stand-in for an old `node` on PATH. */
async function fakeNode(version: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'codemode-node-')), 'node');
  await writeFile(path, `#!/bin/sh\necho ${version}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('sandbox Node discovery and the QuickJS fallback', () => {
  let oldNode: string;
  let electron: HostProcess;
  before(async () => {
    oldNode = await fakeNode('v20.20.2');
    // Desktop VS Code: the extension host is Electron, and PATH has an old Node.
    electron = { execPath: '/opt/vscode/code', version: 'v22.15.1', isElectron: true, pathCommand: oldNode };
  });

  it('uses this process when it is a plain Node >= 24', async () => {
    const found = await discoverSandboxNode(undefined, { execPath: process.execPath, version: process.version, isElectron: false, pathCommand: oldNode });
    assert.deepEqual([found.path, found.version], [process.execPath, process.version]);
  });

  it('never uses Electron, rejects an old node on PATH, and says why', async () => {
    const found = await discoverSandboxNode(undefined, electron);
    assert.equal(found.path, undefined);
    assert.deepEqual(found.rejected, [
      "/opt/vscode/code: Electron's Node cannot load isolated-vm",
      `${oldNode}: v20.20.2 is older than Node 24`,
    ]);
  });

  it('prefers the configured Node, checking its version, and skips a configured path that does not run', async () => {
    const configured = await discoverSandboxNode(process.execPath, electron);
    assert.deepEqual([configured.path, configured.version], [process.execPath, process.version]);
    const missing = await discoverSandboxNode('/nonexistent/node', electron);
    assert.equal(missing.path, undefined);
    assert.ok(missing.rejected.includes('/nonexistent/node: not found or not a plain Node'), missing.rejected.join('; '));
  });

  it('a Node found elsewhere than the host runs the isolated-vm sandbox host', async () => {
    const logger = new RecordingLogger();
    const executor = await createExecutor({ configuredNodePath: process.execPath, hostScript: sandboxHostScript, logger, host: electron });
    const hub = new McpHub({ variables: noInputs });
    await hub.reconcile([stdioTestServer()]);
    try {
      const run = await new Engine(hub, executor).run('return (await mcp.test.add({ a: 1, b: 2 })).sum');
      assert.deepEqual([run.result, run.stats.backend], [3, 'isolated-vm']);
      assert.match(logger.text(), /sandbox: isolated-vm in a sandbox host process on /);
    } finally {
      await Promise.all([executor.dispose(), hub.closeAll()]);
    }
  });

  it('falls back to QuickJS when no Node >= 24 exists, logs it, and still runs scripts with tools', async () => {
    const logger = new RecordingLogger();
    const executor = await createExecutor({ hostScript: sandboxHostScript, logger, host: electron });
    const hub = new McpHub({ variables: noInputs });
    await hub.reconcile([stdioTestServer()]);
    try {
      const run = await new Engine(hub, executor).run('const r = await mcp.test.add({ a: 2, b: 2 }); return r.sum as number;');
      assert.deepEqual([run.ok, run.result, run.stats.backend], [true, 4, 'quickjs']);
      assert.match(logger.text(), /warn sandbox: no Node >= 24 found .*scripts run in the QuickJS \(WASM\) fallback/);
    } finally {
      await Promise.all([executor.dispose(), hub.closeAll()]);
    }
  });
});
