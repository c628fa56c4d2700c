import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpHub } from '../../../src/core/mcp/hub';
import { createTestEngine, isAlive, noInputs, startRemoteTestServer, stdioTestServer, type TestEngine } from '../helpers';

/** A server on loopback whose handler plays a broken remote MCP server. */
async function brokenHttpServer(
  handle: (body: string, res: import('node:http').ServerResponse, req: import('node:http').IncomingMessage) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => handle(body, res, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

/** Forwards to a real streamable HTTP server, but drops the connection in the middle of every tools/call. */
async function droppingProxy(target: string): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  return brokenHttpServer((body, res, req) => {
    if (body.includes('"tools/call"')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': the stream starts, then the connection drops\n\n');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    const forward = request(upstream, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    forward.end(body);
  });
}

describe('faults of the servers', () => {
  let t: TestEngine;
  afterEach(() => t?.dispose());

  const other = stdioTestServer('other');
  const stillWorks = async () => assert.equal((await t.engine.run(`return await mcp.other.echo({ text: 'ok' })`)).result, 'ok');

  it('a stdio server that crashes mid-call: a ToolError naming server and tool; restarted on next use; no process left', async () => {
    t = await createTestEngine([stdioTestServer('flaky'), other]);
    const run = await t.engine.run(`return await mcp.flaky.crash()`);
    assert.deepEqual(
      [run.error?.name, run.error?.message],
      ['ToolError', 'the server closed the connection during the call (last stderr line: crashing on purpose)'],
    );
    assert.deepEqual(
      run.calls.map((call) => `${call.server}.${call.tool}:${call.ok}`),
      ['flaky.crash:false'],
    );
    await stillWorks();
    assert.equal((await t.engine.run(`return await mcp.flaky.echo({ text: 'back' })`)).result, 'back');
  });

  it('a stdio server that hangs: the call ends at the run time limit, the others keep working', async () => {
    t = await createTestEngine([stdioTestServer('stuck'), other]);
    const run = await t.engine.run(`return await mcp.stuck.hang()`, { timeoutMs: 500 });
    assert.equal(run.error?.kind, 'timeout');
    await stillWorks();
  });

  it('a stdio server that writes garbage to stdout: reported in the log, calls still work', async () => {
    t = await createTestEngine([stdioTestServer('noisy', ['--garbage-at-start']), other]);
    const run = await t.engine.run(`return [await mcp.noisy.garbage(), await mcp.noisy.echo({ text: 'fine' })]`);
    assert.deepEqual(run.result, ['after garbage', 'fine'], run.text);
  });

  it('a stdio server that exits at start: a clear error naming it, with its stderr; the next attempt backs off', async () => {
    t = await createTestEngine([stdioTestServer('dead', ['--exit-at-start']), other]);
    const run = await t.engine.run(`return await mcp.call('dead', 'echo', { text: 'x' })`);
    assert.equal(run.error?.name, 'ToolError');
    // The run's own tool listing made the first attempt; the call then meets the back-off (or, on a slow machine,
    // makes the next attempt itself): either way the message names the server and gives its stderr.
    assert.match(
      run.error?.message ?? '',
      /^(Server "dead" is unavailable \(|Could not connect to server "dead": )Connection closed; last stderr line: refusing to start/,
    );
    const again = await t.engine.run(`return await mcp.call('dead', 'echo', { text: 'x' })`);
    assert.match(
      again.error?.message ?? '',
      /^(Server "dead" is unavailable \(.*\); next attempt in \d+ s|Could not connect to server "dead": .*)$/,
    );
    await stillWorks();
  });

  it('a stdio server that is slow to start: waited for within the connect timeout, refused past it', async () => {
    t = await createTestEngine([stdioTestServer('slow', ['--slow-start=700'])]);
    assert.equal((await t.engine.run(`return await mcp.slow.echo({ text: 'patient' })`)).result, 'patient');
    const hub = new McpHub({ variables: noInputs, connectTimeoutMs: 200 });
    await hub.reconcile([stdioTestServer('slow', ['--slow-start=2000'])]);
    try {
      const listing = await hub.listTools();
      assert.match(listing.failures[0].message, /^Could not connect to server "slow": .*timed out/i);
    } finally {
      await hub.closeAll();
    }
  });

  it('a server slow to start does not hold up a run that does not need it', async () => {
    t = await createTestEngine([stdioTestServer('sluggish', ['--slow-start=60000']), other]);
    await t.hub.findTool('other', 'echo'); // up before the run, however loaded the machine
    const run = await t.engine.run(
      `return [await mcp.other.echo({ text: 'quick' }), await (mcp as any).sluggish.echo({ text: 'x' }).catch((e: Error) => e.name + ': ' + e.message)]`,
      { timeoutMs: 2_000 },
    );
    assert.deepEqual(
      run.result,
      [
        'quick',
        `ToolError: Server "sluggish" is not available in this run: still starting after 1000 ms; mcp.call reaches it once it is up`,
      ],
      run.text,
    );
    // The run did not wait for it: it is still starting.
    assert.equal(t.hub.status().find((server) => server.name === 'sluggish')?.state, 'connecting');
    assert.match(t.logger.text(), /\[sluggish\] left out of this run's API: still starting after 1000 ms/);
  });

  it('an HTTP server that is down: a clear error naming it', async () => {
    t = await createTestEngine([{ name: 'down', type: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} }, other]);
    const run = await t.engine.run(`return await mcp.call('down', 'echo', { text: 'x' })`);
    assert.match(run.error?.message ?? '', /^(Server "down" is unavailable \(|Could not connect to server "down": )fetch failed/);
    await stillWorks();
  });

  it('an HTTP server that answers 500: a clear error naming it', async () => {
    const broken = await brokenHttpServer((_body, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('internal trouble'));
    try {
      t = await createTestEngine([{ name: 'failing', type: 'http', url: broken.url, headers: {} }, other]);
      const run = await t.engine.run(`return await mcp.call('failing', 'echo', { text: 'x' })`);
      assert.match(
        run.error?.message ?? '',
        /^(Server "failing" is unavailable \(|Could not connect to server "failing": ).*internal trouble/,
      );
      await stillWorks();
    } finally {
      broken.server.close();
    }
  });

  it('an HTTP server that drops the connection mid-stream: the call fails with a ToolError, the run goes on', async () => {
    const remote = await startRemoteTestServer('--http');
    const proxy = await droppingProxy(remote.url);
    try {
      t = await createTestEngine([{ name: 'dropping', type: 'http', url: proxy.url, headers: {} }, other]);
      const run = await t.engine.run(
        `
        const outcome = await mcp.dropping.echo({ text: 'x' }).then(() => 'answered', (e) => e.name + ' ' + e.server + '.' + e.tool + ': ' + e.message);
        return { outcome, other: await mcp.other.echo({ text: 'ok' }) };
      `,
        { timeoutMs: 10_000 },
      );
      assert.deepEqual(
        run.result,
        { outcome: 'ToolError dropping.echo: the server dropped the connection during the call', other: 'ok' },
        run.text,
      );
    } finally {
      proxy.server.close();
      await remote.stop();
    }
  });

  it('soak: 1,000 runs back to back with tool calls keep memory flat; 8 runs at once all succeed', async function () {
    if (!existsSync('/proc/self/status')) {
      console.log('      (skipped: the soak reads process memory from /proc, which this system does not have)');
      this.skip();
    }
    this.timeout(120_000);
    t = await createTestEngine([stdioTestServer('soak')]);
    const script = `const r = await mcp.soak.add({ a: 1, b: 2 }); console.log(r.sum); return (await mcp.soak.records({ count: 20 })).length + r.sum;`;
    const sandboxPid = async () => (await t.executor.child)!.pid!;
    const measure = async () => {
      global.gc?.();
      return { host: process.memoryUsage().rss, sandbox: await rssOf(await sandboxPid()) };
    };
    for (let i = 0; i < 100; i++) {
      await t.engine.run(script); // warm-up: JIT, caches, the spare isolate
    }
    const before = await measure();
    for (let i = 0; i < 1000; i++) {
      const run = await t.engine.run(script);
      assert.equal(run.result, 23, run.text);
    }
    const after = await measure();
    const growthMb = { host: (after.host - before.host) / 2 ** 20, sandbox: (after.sandbox - before.sandbox) / 2 ** 20 };
    console.log(
      `      soak: host RSS ${mb(before.host)} → ${mb(after.host)} MB, sandbox host RSS ${mb(before.sandbox)} → ${mb(after.sandbox)} MB`,
    );
    assert.ok(growthMb.host < 40 && growthMb.sandbox < 40, `memory grew by ${JSON.stringify(growthMb)} MB`);
    const parallel = await Promise.all(Array.from({ length: 8 }, () => t.engine.run(script)));
    assert.deepEqual(
      parallel.map((run) => run.result),
      Array(8).fill(23),
    );
    assert.ok(isAlive(await sandboxPid()));
  });
});

async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
