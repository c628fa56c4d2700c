import { strict as assert } from 'node:assert';
import { McpHub } from '../../../src/core/mcp/hub';
import { createTestEngine, RecordingLogger, noInputs, startRemoteTestServer, stdioTestServer, waitFor, type TestEngine } from '../helpers';
import { fixtureServers, v2TestServerScript } from './fixtureServers';

const [v1, v2, modernOnly] = fixtureServers;

describe('McpHub across protocol eras', () => {
  let hub: McpHub;
  let logger: RecordingLogger;
  const stops: Array<() => Promise<void>> = [];

  beforeEach(() => {
    logger = new RecordingLogger();
    hub = new McpHub({ logger, variables: noInputs });
  });
  afterEach(async () => {
    await hub.closeAll();
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  it('speaks 2026-07-28 to a server that does, and 2025-11-25 to one that does not', async () => {
    await hub.reconcile([v1.stdio('old'), v2.stdio('both'), modernOnly.stdio('modern')]);
    const listing = await hub.listTools();
    assert.deepEqual(listing.failures, []);
    assert.match(logger.text(), /info \[old\] connected \(codemode-test-server 1\.0\.0; protocol 2025-11-25\)/);
    assert.match(logger.text(), /info \[both\] connected \(codemode-v2-test-server 2\.0\.0; protocol 2026-07-28\)/);
    assert.match(logger.text(), /info \[modern\] connected \(codemode-v2-test-server 2\.0\.0; protocol 2026-07-28\)/);
  });

  it('starts a stdio server that exits on the 2026-07-28 probe again, as a 2025-era server', async () => {
    await hub.reconcile([v2.stdio('test', ['--exit-on-probe'])]);
    assert.deepEqual((await hub.callTool('test', 'echo', { text: 'old' })).content, [{ type: 'text', text: 'old' }]);
    assert.match(logger.text(), /debug \[test\] closed on the 2026-07-28 probe; connecting as a 2025-era server/);
    assert.match(logger.text(), /info \[test\] connected \(codemode-v2-test-server 2\.0\.0; protocol 2025-11-25\)/);
  });

  it('remembers the era: a reconnect after a crash does not probe again', async () => {
    await hub.reconcile([modernOnly.stdio()]);
    await hub.callTool('test', 'crash', {}).catch(() => undefined);
    await waitFor(() => hub.status()[0].state === 'failed');
    assert.deepEqual((await hub.callTool('test', 'echo', { text: 'back' })).content, [{ type: 'text', text: 'back' }]);
    assert.equal(logger.lines.filter((line) => line.includes('connected (')).length, 2);
    assert.equal(logger.lines.filter((line) => line.endsWith('received server/discover')).length, 1);
  });

  it('follows notifications/tools/list_changed from a 2026-07-28 server over streamable HTTP', async () => {
    const remote = await startRemoteTestServer('--http', v2TestServerScript, ['--modern-only', '--tools-ttl=3600000']);
    stops.push(remote.stop);
    await hub.reconcile([{ name: 'remote', type: 'http', url: remote.url, headers: {} }]);
    assert.ok(!(await hub.listTools()).servers[0].tools.some((tool) => tool.name === 'extra'));
    let changes = 0;
    hub.onDidChange(() => changes++);
    await hub.callTool('remote', 'add_tool', {});
    await waitFor(() => changes > 0);
    assert.ok((await hub.listTools()).servers[0].tools.some((tool) => tool.name === 'extra'));
  });

  for (const [ttl, refetched] of [
    ['0', true],
    ['3600000', false],
  ] as const) {
    it(`reuses a tool list for its ttlMs (${ttl} ms: ${refetched ? 'fetched again, change announced' : 'kept'})`, async () => {
      // --silent-changes: the server never says its list changed; only the ttlMs makes the client look again.
      const remote = await startRemoteTestServer('--http', v2TestServerScript, ['--modern-only', `--tools-ttl=${ttl}`, '--silent-changes']);
      stops.push(remote.stop);
      await hub.reconcile([{ name: 'remote', type: 'http', url: remote.url, headers: {} }]);
      await hub.listTools();
      let changes = 0;
      hub.onDidChange(() => changes++);
      await hub.callTool('remote', 'add_tool', {});
      const names = (await hub.listTools()).servers[0].tools.map((tool) => tool.name);
      assert.equal(names.includes('extra'), refetched);
      if (refetched) {
        await waitFor(() => changes > 0);
        assert.match(logger.text(), /info \[remote\] tool list changed/);
      }
    });
  }
});

describe('results a user could be shown', () => {
  let t: TestEngine;
  afterEach(() => t?.dispose());

  it('a script gets images and MCP Apps results as data; the call record says what could be shown', async () => {
    t = await createTestEngine([v2.stdio('v2'), stdioTestServer('old')]);
    const run = await t.engine.run(
      `return { app: await mcp.v2.app(), image: await mcp.old.image(), text: await mcp.v2.echo({ text: 'x' }) }`,
    );
    assert.deepEqual(
      run.result,
      {
        app: { points: [1, 2, 3] },
        image: [
          { type: 'text', text: 'a picture' },
          { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        ],
        text: 'x',
      },
      run.text,
    );
    assert.deepEqual(
      run.calls.map(({ tool, displayable }) => ({ tool, displayable })),
      [
        { tool: 'app', displayable: { appUri: 'ui://codemode-test/chart.html' } },
        { tool: 'image', displayable: { media: ['image/png'] } },
        { tool: 'echo', displayable: undefined },
      ],
    );
    assert.match(t.logger.text(), /call v2\.app ok in [\d.]+ ms; returned for display: ui:\/\/codemode-test\/chart\.html/);
  });
});
