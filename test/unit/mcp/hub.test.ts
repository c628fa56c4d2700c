import { strict as assert } from 'node:assert';
import type { ServerConfig } from '../../../src/core/config/serverConfig';
import { McpHub } from '../../../src/core/mcp/hub';
import { RecordingLogger, isAlive, noInputs, waitFor } from '../helpers';
import { fixtureServers } from './fixtureServers';

for (const { title, stdio: stdioTestServer, remoteModes, startRemote: startRemoteTestServer } of fixtureServers)
  describe(`McpHub (${title})`, () => {
    let hub: McpHub;
    let logger: RecordingLogger;

    beforeEach(() => {
      logger = new RecordingLogger();
      hub = new McpHub({ logger, variables: noInputs });
    });
    afterEach(() => hub.closeAll());

    it('connects lazily, lists tools and calls them over stdio', async () => {
      await hub.reconcile([stdioTestServer()]);
      assert.deepEqual(hub.status(), [{ name: 'test', state: 'idle', error: undefined, toolCount: undefined }]);
      const listing = await hub.listTools();
      assert.deepEqual(listing.failures, []);
      const add = listing.servers[0].tools.find((tool) => tool.name === 'add');
      assert.equal(add?.description, 'Adds two numbers.');
      assert.deepEqual(Object.keys((add?.outputSchema as { properties: object }).properties), ['sum']);
      const result = await hub.callTool('test', 'add', { a: 2, b: 3 });
      assert.deepEqual(result.structuredContent, { sum: 5 });
      assert.equal(hub.status()[0].state, 'ready');
    });

    it('captures server stderr in the log, prefixed with the server name', async () => {
      await hub.reconcile([stdioTestServer()]);
      await hub.callTool('test', 'stderr', { line: 'hello from stderr' });
      // The line comes on the server's stderr pipe, beside its answer on stdout: not necessarily before it.
      await waitFor(() => /trace \[test\] hello from stderr/.test(logger.text()), 5_000, 'the stderr line in the log');
      assert.match(logger.text(), /trace \[test\] hello from stderr/);
    });

    it('refreshes the cached tool list on notifications/tools/list_changed', async () => {
      await hub.reconcile([stdioTestServer()]);
      const before = await hub.listTools();
      assert.ok(!before.servers[0].tools.some((tool) => tool.name === 'extra'));
      let changes = 0;
      hub.onDidChange(() => changes++);
      await hub.callTool('test', 'add_tool', {});
      await waitFor(() => changes > 0);
      const after = await hub.listTools();
      assert.ok(after.servers[0].tools.some((tool) => tool.name === 'extra'));
    });

    it('reports a server that crashes mid-call and restarts it on next use', async () => {
      await hub.reconcile([stdioTestServer()]);
      await hub.listTools();
      const firstPid = hub.processId('test');
      await assert.rejects(hub.callTool('test', 'crash', {}), (error: Error & { server: string; tool: string }) => {
        assert.equal(error.name, 'ToolError');
        assert.equal(error.server, 'test');
        assert.equal(error.tool, 'crash');
        assert.match(error.message, /closed the connection during the call/);
        return true;
      });
      await waitFor(() => hub.status()[0].state === 'failed');
      assert.match(hub.status()[0].error ?? '', /crashing on purpose/);
      const result = await hub.callTool('test', 'echo', { text: 'back' });
      assert.deepEqual(result.content, [{ type: 'text', text: 'back' }]);
      assert.notEqual(hub.processId('test'), firstPid);
    });

    it('fails a call that exceeds its timeout, and one whose signal aborts', async () => {
      await hub.reconcile([stdioTestServer()]);
      await assert.rejects(hub.callTool('test', 'hang', {}, { timeoutMs: 200 }), { name: 'ToolError', message: 'the call timed out' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(hub.callTool('test', 'hang', {}, { signal: controller.signal }), {
        name: 'ToolError',
        message: 'the call was cancelled',
      });
      // The server is still usable.
      assert.deepEqual((await hub.callTool('test', 'add', { a: 1, b: 1 })).structuredContent, { sum: 2 });
    });

    it('reports a server that exits at start, backs off, and keeps the others working', async () => {
      await hub.reconcile([stdioTestServer('broken', ['--exit-at-start']), stdioTestServer('good')]);
      const listing = await hub.listTools();
      assert.deepEqual(
        listing.servers.map((entry) => entry.server),
        ['good'],
      );
      assert.equal(listing.failures[0].server, 'broken');
      assert.match(listing.failures[0].message, /Could not connect to server "broken": .*refusing to start/);
      await assert.rejects(hub.callTool('broken', 'echo', { text: 'x' }), /Server "broken" is unavailable .*next attempt in \d+ s/);
    });

    it('names unknown servers and tools', async () => {
      await hub.reconcile([stdioTestServer()]);
      assert.throws(() => hub.callTool('nope', 'echo', {}), { name: 'ToolError', message: 'Unknown server "nope" (configured: test)' });
      await assert.rejects(hub.findTool('test', 'nope'), {
        name: 'ToolError',
        message: /^Unknown tool "nope" on server "test" \(it has: echo, add, /,
      });
    });

    it('reconciles: keeps unchanged servers, restarts changed ones, closes removed ones', async () => {
      const a = stdioTestServer('a');
      await hub.reconcile([a, stdioTestServer('b')]);
      await hub.listTools();
      const [pidA, pidB] = [hub.processId('a'), hub.processId('b')];
      await hub.reconcile([a, stdioTestServer('c')]);
      assert.deepEqual(hub.serverNames(), ['a', 'c']);
      assert.equal(hub.processId('a'), pidA);
      assert.equal(isAlive(pidB), false);
      await hub.reconcile([{ ...a, env: { CHANGED: '1' } } as ServerConfig, stdioTestServer('c')]);
      await hub.listTools();
      assert.notEqual(hub.processId('a'), pidA);
      assert.equal(isAlive(pidA), false);
    });

    it('closeAll leaves no server process behind', async () => {
      await hub.reconcile([stdioTestServer('a'), stdioTestServer('b')]);
      await hub.listTools();
      const pids = [hub.processId('a'), hub.processId('b')];
      assert.ok(pids.every(isAlive));
      await hub.closeAll();
      assert.deepEqual(pids.map(isAlive), [false, false]);
    });

    for (const mode of remoteModes) {
      it(`talks to a server over ${mode === '--http' ? 'streamable HTTP' : 'SSE'}`, async () => {
        const remote = await startRemoteTestServer(mode);
        try {
          await hub.reconcile([{ name: 'remote', type: mode === '--http' ? 'http' : 'sse', url: remote.url, headers: {} }]);
          assert.deepEqual((await hub.callTool('remote', 'add', { a: 4, b: 5 })).structuredContent, { sum: 9 });
          assert.ok((await hub.listTools()).servers[0].tools.length > 5);
        } finally {
          await remote.stop();
        }
      });
    }

    it('reports an HTTP server that is down', async () => {
      await hub.reconcile([{ name: 'down', type: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} }]);
      const listing = await hub.listTools();
      assert.match(listing.failures[0].message, /^Could not connect to server "down"/);
    });
  });
