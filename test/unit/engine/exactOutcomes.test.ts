import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindApi } from '../../../src/core/codegen/identifiers';
import { defaultLimits } from '../../../src/core/defaults';
import { modelReport } from '../../../src/core/engine/modelReport';
import { transpile } from '../../../src/core/engine/transpile';
import type { ServerConfig } from '../../../src/core/config/serverConfig';
import { createTestEngine, publishedServer, stdioTestServer, waitFor, type TestEngine } from '../helpers';

/** The published filesystem server on a fresh folder: a call leaves a file behind, so "no call" can be checked. */
async function filesystemServer(): Promise<{ config: ServerConfig; folder: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'codemode-cancel-'));
  return {
    folder,
    config: { name: 'fs', type: 'stdio', command: process.execPath, args: [publishedServer('filesystem'), folder], env: {} },
  };
}

describe('runs report exactly what happened', () => {
  let t: TestEngine | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  describe('a cancelled run makes no call', () => {
    it('when the abort came before the run started', async () => {
      const fs = await filesystemServer();
      const e = (t = await createTestEngine([fs.config]));
      for (let i = 0; i < 5; i++) {
        const aborted = AbortSignal.abort();
        const run = await e.engine.run(`await mcp.fs.writeFile({ path: '${fs.folder}/written-${i}.txt', content: 'x' }); return 1`, {
          signal: aborted,
        });
        assert.deepEqual([run.ok, run.error?.name, run.calls], [false, 'CancelledError', []]);
        assert.equal(existsSync(join(fs.folder, `written-${i}.txt`)), false, `run ${i} wrote its file`);
      }
    });

    it('when the abort came while servers were starting', async () => {
      const fs = await filesystemServer();
      const e = (t = await createTestEngine([fs.config, stdioTestServer('slow', ['--slow-start=1500'])]));
      const controller = new AbortController();
      const running = e.engine.run(`await mcp.fs.writeFile({ path: '${fs.folder}/late.txt', content: 'x' }); return 1`, {
        signal: controller.signal,
      });
      await waitFor(
        () => e.hub.status().some((server) => server.name === 'slow' && server.state === 'connecting'),
        10_000,
        'slow starting',
      );
      controller.abort();
      const run = await running;
      assert.deepEqual([run.ok, run.error?.name, run.calls], [false, 'CancelledError', []]);
      assert.equal(existsSync(join(fs.folder, 'late.txt')), false);
    });

    it('when the sandbox receives the cancel before its isolate is ready', async () => {
      const e = (t = await createTestEngine([]));
      await e.engine.run('return 0'); // the sandbox host is up: the run and the cancel reach it back to back
      for (let i = 0; i < 5; i++) {
        let calls = 0;
        const compiled = transpile(`await mcp.call('s', 't', {}); return 1`);
        assert.ok(compiled.ok);
        const outcome = await e.executor.execute(
          { code: compiled.code, bindings: [], limits: defaultLimits },
          async () => (calls++, JSON.stringify({ value: 1 })),
          AbortSignal.abort(),
        );
        assert.deepEqual([outcome.error?.name, calls], ['CancelledError', 0]);
      }
    });
  });

  describe('time limits of a second or less', () => {
    it('wait for servers at most half the limit: the script gets the other half', async () => {
      const e = (t = await createTestEngine([stdioTestServer('slow', ['--slow-start=20000'])]));
      // A first run starts the engine's worker and the sandbox (seconds on a loaded machine); the second is the test.
      await e.engine.run('return 0', { timeoutMs: 10_000 });
      const run = await e.engine.run('return 1', { timeoutMs: 1_000 });
      assert.deepEqual([run.ok, run.result], [true, 1], run.text);
      assert.match(e.logger.text(), /\[slow\] left out of this run's API: still starting after 500 ms/);
    });

    it('end as a TimeoutError, never as the syntax error of a disposed isolate', async () => {
      const e = (t = await createTestEngine([]));
      for (const timeoutMs of [1, 2, 3, 5, 8, 13, 21, 34]) {
        const run = await e.engine.run('return 1', { timeoutMs });
        if (!run.ok) {
          assert.equal(run.error?.name, 'TimeoutError', `${timeoutMs} ms: ${run.text}`);
        }
      }
    });
  });

  describe('a configured server that is not available', () => {
    it('fails the calls a script makes to it with a ToolError naming it and why, and the report says so', async () => {
      const e = (t = await createTestEngine([stdioTestServer('broken', ['--exit-at-start']), stdioTestServer('test')]));
      const caught = await e.engine.run(`
        const error = await mcp.broken.add({ a: 1, b: 2 }).catch((e) => e);
        return { name: error.name, server: error.server, tool: error.tool, message: error.message, sum: await mcp.test.add({ a: 1, b: 2 }) };
      `);
      assert.equal(caught.ok, true, caught.text);
      const result = caught.result as { name: string; server: string; tool: string; message: string; sum: unknown };
      assert.deepEqual([result.name, result.server, result.tool, result.sum], ['ToolError', 'broken', 'add', { sum: 3 }]);
      assert.match(result.message, /^Server "broken" is not available in this run: .+/);

      const failed = await e.engine.run('return await mcp.broken.add({ a: 1, b: 2 })');
      assert.equal(failed.error?.name, 'ToolError');
      const report = modelReport(failed);
      assert.match(report, /^The script failed: ToolError: Server "broken" is not available in this run: /);
      assert.match(report, /\nServer "broken" was not available in this run: /);
    });

    it('is bound after the available servers, so their names never change', () => {
      const bindings = bindApi(
        [{ server: 'a-b', tools: [{ name: 'x', inputSchema: { type: 'object' } }] }],
        [{ server: 'a_b', message: 'failed to start' }],
      );
      assert.deepEqual(bindings, [
        { server: 'a-b', tool: 'x', serverId: 'aB', toolId: 'x' },
        { server: 'a_b', serverId: 'aB2', unavailable: 'failed to start' },
      ]);
    });
  });
});
