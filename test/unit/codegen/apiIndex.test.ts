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
      },
      { name: 'list', title: 'List the roots', inputSchema: { type: 'object' } },
      {
        name: 'huge',
        inputSchema: {
          type: 'object',
          properties: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, { type: 'string' }])),
        },
      },
    ],
  },
  { server: 'call', tools: [{ name: 'ping', description: `${'A very long purpose '.repeat(10)}end.`, inputSchema: { type: 'object' } }] },
];

describe('apiIndex', () => {
  it('lists each tool with its call, a one-line signature, its exact name when it differs, and its purpose', () => {
    assert.equal(
      apiIndex(servers, [{ server: 'down', message: 'Could not connect' }]),
      [
        'Server "my-fs" (3 tools):',
        '  mcp.myFs.readTextFile(args: { path: string; head?: number }): { content: string } ("read_text_file") — Read a file as text.',
        '  mcp.myFs.list() — List the roots',
        '  mcp.myFs.huge(args?: { … }) — ',
        'Server "call" (1 tool):',
        `  mcp._call.ping() — ${'A very long purpose '.repeat(5).slice(0, 99)}…`,
        'Server "down" is unavailable: Could not connect',
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
      apiIndex([{ server: 's', tools: [shot] }]),
      'Server "s" (1 tool):\n  mcp.s.shot(args?: { scale?: number }): { scale: number }',
    );
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
