import { strict as assert } from 'node:assert';
import { apiIndex } from '../../../src/core/codegen/apiIndex';
import { bindApi } from '../../../src/core/codegen/identifiers';
import { selectTools } from '../../../src/core/codegen/selectTools';
import type { ServerTools } from '../../../src/core/mcp/toolInfo';

const servers: ServerTools[] = [
  {
    server: 'my-fs',
    tools: [
      {
        name: 'read_text_file',
        description: 'Read a file as text.\nFails on binary files.',
        inputSchema: {
          type: 'object',
          properties: { path: { type: 'string', description: 'Where */' }, head: { type: 'number' } },
          required: ['path'],
        },
        outputSchema: { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] },
        annotations: { readOnlyHint: true },
      },
      { name: 'list', title: 'List the roots', inputSchema: { type: 'object' } },
      {
        name: 'huge',
        annotations: { destructiveHint: false },
        inputSchema: {
          type: 'object',
          properties: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, { type: 'string' }])),
        },
      },
    ],
  },
  {
    server: 'call',
    tools: [
      {
        name: 'ping',
        description: `${'A very long purpose '.repeat(10)}end.`,
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
      },
    ],
  },
];

describe('apiIndex', () => {
  it('lists each tool with its call, a one-line signature, its exact name when it differs, and its purpose', () => {
    assert.equal(
      apiIndex(servers, [{ server: 'down', message: 'Could not connect' }]),
      [
        'Server "my-fs" (3 tools):',
        '  mcp.myFs.readTextFile(args: { path: string; head?: number }): { content: string } ("read_text_file") — Read a file as text.',
        '  mcp.myFs.list() [destructive] — List the roots',
        '  mcp.myFs.huge(args?: { … }) [write] — ',
        'Server "call" (1 tool):',
        `  mcp._call.ping() — ${'A very long purpose '.repeat(5).slice(0, 99)}…`,
        'Server "down" is unavailable: Could not connect',
        '[write] may change things, [destructive] may also delete or overwrite (untagged: reads only). The user may be asked to approve such a call; declined, it rejects with a ToolError the script can catch.',
      ]
        .join('\n')
        .replace(' — \n', '\n'),
    );
  });

  it('shows a required argument that has a default as optional, as the .d.ts does', () => {
    const shot = {
      name: 'shot',
      inputSchema: { type: 'object', properties: { scale: { type: 'number', default: 1 } }, required: ['scale'] },
      outputSchema: { type: 'object', properties: { scale: { type: 'number', default: 1 } }, required: ['scale'] },
    };
    assert.equal(
      apiIndex([{ server: 's', tools: [{ ...shot, annotations: { readOnlyHint: true } }] }]),
      'Server "s" (1 tool):\n  mcp.s.shot(args?: { scale?: number }): { scale: number }',
    );
  });

  it("tags what a call may change from the server's annotations, MCP's defaults when there are none", () => {
    const tool = (name: string, annotations?: object) => ({
      name,
      inputSchema: { type: 'object' },
      ...(annotations ? { annotations } : {}),
    });
    const index = apiIndex([
      {
        server: 's',
        tools: [
          tool('get', { readOnlyHint: true, destructiveHint: true }),
          tool('put', { destructiveHint: false }),
          tool('drop', { readOnlyHint: false, destructiveHint: true }),
          tool('bare'),
          tool('lying', { readOnlyHint: 'yes' }),
        ],
      },
    ]);
    assert.deepEqual(index.split('\n').slice(1, 6), [
      '  mcp.s.get()',
      '  mcp.s.put() [write]',
      '  mcp.s.drop() [destructive]',
      '  mcp.s.bare() [destructive]',
      '  mcp.s.lying() [destructive]',
    ]);
    assert.match(index.split('\n')[6], /^\[write\] may change things/);
  });

  it('says when no server is configured', () => {
    assert.equal(apiIndex([]), 'No MCP servers are configured.');
  });
});

describe('selectTools', () => {
  const bindings = bindApi(servers);

  it('takes exact or camelCase names, a bare server for all its tools, and names what matched nothing', () => {
    const { picked, unknown } = selectTools(bindings, ['my-fs.read_text_file', 'myFs.list', 'mcp.call.ping', 'nope.tool', 'my-fs.nope']);
    assert.deepEqual(
      picked.map((b) => `${b.server}.${b.tool}`),
      ['my-fs.read_text_file', 'my-fs.list', 'call.ping'],
    );
    assert.deepEqual(unknown, ['nope.tool', 'my-fs.nope']);
    assert.deepEqual(selectTools(bindings, ['my-fs']).picked.length, 3);
  });
});
