import { strict as assert } from 'node:assert';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../src/core/engine/engine';
import { McpHub } from '../../../src/core/mcp/hub';
import { createExecutor } from '../../../src/core/sandbox/createExecutor';
import { isolatedVmReleaseFor } from '../../../src/core/sandbox/contract/isolatedVmBuilds';
import { discoverSandboxNode, type HostProcess } from '../../../src/core/sandbox/launcher/nodeDiscovery';
import { nodeRelease } from '../../nodeRelease';
import { RecordingLogger, noInputs, sandboxHostScript, stdioTestServer } from '../helpers';

/** A stand-in for a `node` on PATH: it answers the probe with its version and ABI. */
async function fakeNode(version: string, abi: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'codemode-node-')), 'node');
  await writeFile(path, `#!/bin/sh\necho ${version} ${abi}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('sandbox Node discovery and the QuickJS fallback', () => {
  let oldNode: string;
  let electron: HostProcess;
  before(async () => {
    oldNode = await fakeNode('v20.20.2', '115');
    // Desktop VS Code: the extension host is Electron, and PATH has an old Node.
    electron = { execPath: '/opt/vscode/code', version: 'v22.15.1', abi: '140', isElectron: true, pathCommand: oldNode };
  });

  it('uses this process when it is a plain Node isolated-vm has a build for', async () => {
    const found = await discoverSandboxNode(undefined, {
      execPath: process.execPath,
      version: process.version,
      abi: process.versions.modules,
      isElectron: false,
      pathCommand: oldNode,
    });
    assert.deepEqual([found.path, found.version], [process.execPath, process.version]);
  });

  it('never uses Electron, rejects a node on PATH that isolated-vm has no build for, and says why', async () => {
    const found = await discoverSandboxNode(undefined, electron);
    assert.equal(found.path, undefined);
    assert.deepEqual(found.rejected, [
      "/opt/vscode/code: Electron's Node cannot load isolated-vm",
      `${oldNode}: isolated-vm has no build for v20.20.2 (it has for Node 22, 24 or 26)`,
    ]);
    // Newer is not enough: an odd-numbered release has an ABI of its own.
    const node25 = await fakeNode('v25.2.1', '141');
    assert.deepEqual((await discoverSandboxNode(node25, electron)).rejected.slice(1, 2), [
      `${node25}: isolated-vm has no build for v25.2.1 (it has for Node 22, 24 or 26)`,
    ]);
  });

  it('picks the isolated-vm release built for each supported Node ABI', function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      console.log('      (skipped: the expected releases are those with linux-x64 prebuilds)');
      this.skip();
    }
    assert.deepEqual(
      ['127', '137', '147', '141', '115'].map((abi) => isolatedVmReleaseFor(abi)),
      ['isolated-vm-node22', 'isolated-vm', 'isolated-vm', undefined, undefined],
    );
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

  it('a Node 22 runs the sandbox host on isolated-vm 6.2', async function () {
    this.timeout(120_000);
    const node22 = await nodeRelease(22);
    const logger = new RecordingLogger();
    const executor = await createExecutor({ configuredNodePath: node22, hostScript: sandboxHostScript, logger, host: electron });
    const hub = new McpHub({ variables: noInputs });
    await hub.reconcile([stdioTestServer()]);
    try {
      const run = await new Engine(hub, executor).run(
        'const sums = await Promise.all([1, 2].map((a) => mcp.test.add({ a, b: 1 }))); return sums.map((s) => s.sum)',
      );
      assert.deepEqual([run.result, run.stats.backend], [[2, 3], 'isolated-vm']);
      assert.match(logger.text(), /sandbox host started: isolated-vm 6\.2\.\d+ on Node v22\./);
      const limited = await new Engine(hub, executor).run('const a: string[] = []; for (;;) a.push("x".repeat(1e6));', { memoryMb: 16 });
      assert.equal(limited.error?.name, 'MemoryLimitError');
    } finally {
      await Promise.all([executor.dispose(), hub.closeAll()]);
    }
  });

  it('falls back to QuickJS when no Node isolated-vm has a build for exists, logs it, and still runs scripts with tools', async () => {
    const logger = new RecordingLogger();
    const executor = await createExecutor({ hostScript: sandboxHostScript, logger, host: electron });
    const hub = new McpHub({ variables: noInputs });
    await hub.reconcile([stdioTestServer()]);
    try {
      const run = await new Engine(hub, executor).run('const r = await mcp.test.add({ a: 2, b: 2 }); return r.sum as number;');
      assert.deepEqual([run.ok, run.result, run.stats.backend], [true, 4, 'quickjs']);
      assert.match(logger.text(), /warn sandbox: no Node 22, 24 or 26 found .*scripts run in the QuickJS \(WASM\) fallback/);
    } finally {
      await Promise.all([executor.dispose(), hub.closeAll()]);
    }
  });
});
