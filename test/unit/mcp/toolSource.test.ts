import { strict as assert } from 'node:assert';
import { apiIndex } from '../../../src/core/codegen/apiIndex';
import type { SourceCallOptions, ToolSource } from '../../../src/core/mcp/toolSource';
import { createTestEngine, stdioTestServer, type TestEngine } from '../helpers';

/** A source standing in for the editor (outside core): records what each call is handed. */
class EditorSource implements ToolSource {
  readonly calls: Array<{ tool: string; args: unknown; invocation: unknown }> = [];
  readonly listings: string[][] = [];
  constructor(readonly name: string) {}
  async listTools(served: Parameters<ToolSource['listTools']>[0]) {
    this.listings.push(served.map((server) => server.server));
    return {
      tools: [
        { name: 'mcp_gh_get_me', description: 'Who am I.', inputSchema: { type: 'object', properties: { verbose: { type: 'boolean' } } } },
      ],
      note: 'Tools the editor offers.',
    };
  }
  async callTool(tool: string, args: Record<string, unknown>, options: SourceCallOptions) {
    this.calls.push({ tool, args, invocation: options.invocation });
    return { content: [{ type: 'text' as const, text: JSON.stringify({ login: 'octocat', verbose: args.verbose }) }] };
  }
}

describe('tool sources beside the servers', () => {
  let test: TestEngine;
  afterEach(async () => test?.dispose());

  it('a script calls a source as mcp.<name>, with its arguments checked, its result unwrapped and the run’s invocation handed in', async () => {
    test = await createTestEngine([stdioTestServer('test')]);
    const source = new EditorSource('vscode');
    test.hub.setSources([source]);
    const run = await test.engine.run(
      'const me = await mcp.vscode.mcpGhGetMe({ verbose: true }); const bad = await mcp.call("vscode", "mcp_gh_get_me", { verbose: "x" }).catch((e) => e.message); return { me, bad, sum: (await mcp.test.add({ a: 1, b: 2 })).sum };',
      { invocation: 'chat-token-1' },
    );
    assert.equal(run.ok, true, JSON.stringify(run.error));
    const result = run.result as { me: unknown; bad: string; sum: number };
    assert.deepEqual(result.me, { login: 'octocat', verbose: true });
    assert.match(result.bad, /Invalid arguments for vscode\.mcp_gh_get_me/);
    assert.equal(result.sum, 3);
    assert.deepEqual(source.calls, [{ tool: 'mcp_gh_get_me', args: { verbose: true }, invocation: 'chat-token-1' }]);
    assert.deepEqual(source.listings[0], ['test'], 'listing for the run, the source sees what the servers offer, to leave out duplicates');
  });

  it("the API index lists a source's tools with its note; a configured server of the same name wins", async () => {
    test = await createTestEngine([stdioTestServer('test')]);
    test.hub.setSources([new EditorSource('vscode'), new EditorSource('test')]);
    const listing = await test.hub.listTools();
    assert.deepEqual(
      listing.servers.map((server) => server.server),
      ['test', 'vscode'],
    );
    const index = apiIndex(listing.servers);
    assert.match(index, /Server "vscode" \(1 tool\):\n {2}Note: Tools the editor offers\.\n {2}mcp\.vscode\.mcpGhGetMe\(/);
    assert.ok(
      listing.servers[0].tools.some((tool) => tool.name === 'add'),
      "the server's own tools, not the source's",
    );
  });

  it('a source with no tools is left out: a workspace without servers still has no API', async () => {
    test = await createTestEngine([]);
    const empty = new EditorSource('vscode');
    empty.listTools = async () => ({ tools: [], note: 'nothing' });
    test.hub.setSources([empty]);
    assert.equal(apiIndex((await test.hub.listTools()).servers), 'No MCP servers are configured.');
  });
});
