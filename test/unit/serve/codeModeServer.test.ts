import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { CodeModeServer } from '../../../src/core/serve/codeModeServer';
import { serveLoopbackHttp } from '../../../src/core/serve/loopbackHttp';
import { maxIndexChars, runDescription } from '../../../src/core/serve/toolDescriptions';
import { apiIndex } from '../../../src/core/codegen/apiIndex';
import { byteLength } from '../../../src/core/engine/utf8';
import { createTestEngine, projectRoot, stdioTestServer, testServerScript, waitFor, type TestEngine } from '../helpers';

const cli = join(projectRoot, 'dist', 'cli.js');
type TextResult = { content: Array<{ type: string; text: string }>; isError?: boolean };

async function connected(server: CodeModeServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await (await server.create()).connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('Code Mode as an MCP server', () => {
  let t: TestEngine;
  let codeMode: CodeModeServer;
  beforeEach(async () => {
    t = await createTestEngine([stdioTestServer()]);
    codeMode = new CodeModeServer({
      hub: t.hub,
      engine: t.engine,
      logger: t.logger,
      reportBytes: () => 8_000,
      version: '0.0.0',
      approvalPolicy: () => ({ mode: 'writes', allowed: [] }),
      refusal: (call) => `not approved (${call.server}.${call.tool})`,
    });
  });
  afterEach(async () => {
    codeMode.dispose();
    await t.dispose();
  });

  it('offers run, whose description carries the API index, and api for declarations', async () => {
    const client = await connected(codeMode);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((tool) => tool.name),
      ['run', 'api'],
    );
    const run = tools[0];
    assert.match(run.description ?? '', /^Code Mode: run one TypeScript script that calls the MCP tools of the MCP servers "test"/);
    assert.ok(
      run.description?.includes('mcp.test.add(args: { a: number; b: number }): { sum: number } — Adds two numbers.'),
      run.description,
    );
    assert.deepEqual(Object.keys(run.inputSchema.properties ?? {}), ['code']);
    const api = (await client.callTool({ name: 'api', arguments: { tools: ['test.add'] } })) as TextResult;
    assert.match(api.content[0].text, /declare namespace McpApi[\s\S]*add\(args: TestAddInput\)/);
    await client.close();
  });

  it('runs a script and answers with the report, sized to its budget; a failed script is an error result', async () => {
    const client = await connected(codeMode);
    const ok = (await client.callTool({ name: 'run', arguments: { code: 'return await mcp.test.records({ count: 600 })' } })) as TextResult;
    assert.equal(ok.isError, false);
    assert.match(ok.content[0].text, /^Result \(cut to fit 8,000 bytes;/);
    assert.ok(byteLength(ok.content[0].text) <= 8_000);
    assert.match(ok.content[0].text, /more rows"\]\n\nTool calls: 1 \(test\.records ×1\)/);
    const failed = (await client.callTool({ name: 'run', arguments: { code: 'await mcp.test.nope()' } })) as TextResult;
    assert.equal(failed.isError, true);
    assert.match(failed.content[0].text, /^The script failed: [\s\S]*Fix the script and run it again\.$/);
    await client.close();
  });

  it('announces tools/list_changed with the new API when the servers change', async () => {
    const client = await connected(codeMode);
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changes++);
    await t.hub.reconcile([stdioTestServer(), stdioTestServer('second-server')]);
    await waitFor(() => changes > 0, 10_000);
    const run = (await client.listTools()).tools.find((tool) => tool.name === 'run');
    assert.ok(run?.description?.includes('the MCP servers "test", "second-server"'), run?.description);
    assert.ok(run?.description?.includes('mcp.secondServer.echo('), run?.description);
    await client.close();
  });

  it('serves loopback HTTP only to clients with the bearer token', async () => {
    const http = await serveLoopbackHttp(() => codeMode.create());
    try {
      assert.equal(http.url.hostname, '127.0.0.1');
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      };
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${http.token}x`, http.token]) {
        const response = await fetch(http.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            ...(authorization ? { Authorization: authorization } : {}),
          },
          body: JSON.stringify(initialize),
        });
        assert.equal(response.status, 401, String(authorization));
      }
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(http.url, { requestInit: { headers: { Authorization: `Bearer ${http.token}` } } }),
      );
      const result = (await client.callTool({
        name: 'run',
        arguments: { code: 'return (await mcp.test.add({ a: 2, b: 3 })).sum' },
      })) as TextResult;
      assert.match(result.content[0].text, /^Result:\n5\n/);
      await client.close();
    } finally {
      await http.close();
    }
  });

  it('lists only calls with argument names when the index is too large for a description', async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      name: `tool_number_${i}`,
      description: 'Does one of many things, described at some length so the index grows.',
      inputSchema: {
        type: 'object',
        properties: { owner: { type: 'string' }, repo: { type: 'string' }, page: { type: 'number' } },
        required: ['owner', 'repo'],
      },
    }));
    const servers = [{ server: 'big', tools: many }];
    const description = runDescription({ servers, failures: [] });
    assert.ok(apiIndex(servers).length > maxIndexChars);
    assert.ok(description.length < apiIndex(servers).length / 2, `${description.length} characters`);
    assert.ok(description.includes('mcp.big.toolNumber7({ owner, repo, page? }) ("tool_number_7")'), description);
    assert.ok(description.includes('call `api` with the tools you use'));
  });
});

describe('codemode serve', () => {
  async function workspace(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'codemode-serve-'));
    await mkdir(join(folder, '.vscode'));
    await writeFile(
      join(folder, '.vscode', 'mcp.json'),
      JSON.stringify({ servers: { test: { command: process.execPath, args: [testServerScript] } } }),
    );
    return folder;
  }

  it('serves over stdio to any MCP client, and exits when stdin ends', async () => {
    const cwd = await workspace();
    const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'serve'], cwd, stderr: 'pipe' });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    const run = (await client.listTools()).tools.find((tool) => tool.name === 'run');
    assert.ok(run?.description?.includes('mcp.test.echo(args: { text: string })'), run?.description);
    const result = (await client.callTool({
      name: 'run',
      arguments: { code: `return (await mcp.test.echo({ text: 'hi' }))` },
    })) as TextResult;
    assert.match(result.content[0].text, /^Result:\nhi\n\nTool calls: 1 \(test\.echo ×1\)/);
    const pid = transport.pid!;
    await client.close();
    await waitFor(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 10_000);
  });

  it('--http serves 127.0.0.1 with the token from CODEMODE_SERVE_TOKEN, and refuses requests without it', async () => {
    const cwd = await workspace();
    const token = 'serve-test-token-0123456789';
    const child = spawn(process.execPath, [cli, 'serve', '--http'], {
      cwd,
      env: { ...process.env, CODEMODE_SERVE_TOKEN: token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const lines = createInterface({ input: child.stderr });
      const [line] = (await once(lines, 'line')) as [string];
      const url = /serving MCP at (\S+)/.exec(line)?.[1] ?? '';
      assert.ok(url.startsWith('http://127.0.0.1:'), line);
      assert.ok(!line.includes(token), 'the token is not printed when it comes from the environment');
      assert.equal((await fetch(url, { method: 'POST', body: '{}' })).status, 401);
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
      );
      const result = (await client.callTool({ name: 'run', arguments: { code: 'return 1 + 1' } })) as TextResult;
      assert.match(result.content[0].text, /^Result:\n2\n/);
      await client.close();
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
