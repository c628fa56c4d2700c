import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { CodeModeServer } from '../../../src/core/serve/codeModeServer';
import { createTestEngine, projectRoot, type TestEngine } from '../helpers';

const approvalServerScript = join(projectRoot, 'out', 'fixtures', 'approvalServer.js');
type TextResult = { content: Array<{ type: string; text: string }>; isError?: boolean };

describe('Code Mode as an MCP server: approvals through the client', () => {
  let t: TestEngine;
  let record: string;
  let codeMode: CodeModeServer;
  const received = () =>
    existsSync(record)
      ? readFileSync(record, 'utf8')
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { tool: string }).tool)
      : [];

  before(async () => {
    record = join(mkdtempSync(join(tmpdir(), 'codemode-serve-approvals-')), 'calls.jsonl');
    t = await createTestEngine([
      { name: 'notes', type: 'stdio', command: process.execPath, args: [approvalServerScript, `--record=${record}`], env: {} },
    ]);
    codeMode = new CodeModeServer({
      hub: t.hub,
      engine: t.engine,
      logger: t.logger,
      reportBytes: () => 8_000,
      version: '0.0.0',
      approvalPolicy: () => ({ mode: 'writes', allowed: [] }),
      refusal: (call) => `not approved (start with --approve ${call.server}.${call.tool})`,
    });
  });
  after(async () => {
    codeMode.dispose();
    await t.dispose();
  });

  async function client(answer?: (request: ElicitRequest) => ElicitResult): Promise<Client> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await (await codeMode.create()).connect(serverSide);
    const mcpClient = new Client({ name: 'test', version: '1.0.0' }, { capabilities: answer ? { elicitation: { form: {} } } : {} });
    if (answer) {
      mcpClient.setRequestHandler(ElicitRequestSchema, (request) => answer(request));
    }
    await mcpClient.connect(clientSide);
    return mcpClient;
  }

  const code = `try { return await mcp.notes.writeNote({ name: 'n', text: 'served' }); } catch (e) { return e.message; }`;
  const run = async (mcpClient: Client) => {
    const result = (await mcpClient.callTool({ name: 'run', arguments: { code } })) as TextResult;
    return result.content[0].text;
  };

  it('asks the client (elicitation) showing server, tool and arguments; accepted, the call reaches the server', async () => {
    const before = received().length;
    const asked: string[] = [];
    const text = await run(
      await client((request) => {
        asked.push(String(request.params.message));
        return { action: 'accept', content: { allow: true } };
      }),
    );
    assert.match(text, /written/);
    assert.equal(asked.length, 1);
    assert.match(
      asked[0],
      /calls notes\.write_note, which writes \(idempotent, closed world\), with these arguments:\n\{\n {2}"name": "n",\n {2}"text": "served"\n\}/,
    );
    assert.deepEqual(received().slice(before), ['write_note']);
  });

  it('declined (or accepted without a yes) in the client, the call rejects and never reaches the server', async () => {
    const before = received().length;
    assert.match(await run(await client(() => ({ action: 'decline' }))), /notes\.write_note was not called: declined by the user/);
    assert.match(await run(await client(() => ({ action: 'accept', content: { allow: false } }))), /declined by the user/);
    assert.deepEqual(received().slice(before), []);
  });

  it('a client that cannot elicit gets a refusal naming how to approve the call in advance', async () => {
    const before = received().length;
    assert.match(await run(await client()), /notes\.write_note was not called: not approved \(start with --approve notes\.write_note\)/);
    assert.deepEqual(received().slice(before), []);
  });
});
