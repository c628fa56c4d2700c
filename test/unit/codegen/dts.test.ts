import { strict as assert } from 'node:assert';
import { generateDts } from '../../../src/core/codegen/dts';
import { bindApi } from '../../../src/core/codegen/identifiers';
import type { JsonSchema, ServerTools, ToolInfo } from '../../../src/core/mcp/toolInfo';

const lines = (...text: string[]) => text.join('\n');
/** A read-only tool unless `extra` says otherwise: what a call may change has a test of its own. */
const tool = (name: string, inputSchema: JsonSchema = { type: 'object' }, extra: Partial<ToolInfo> = {}): ToolInfo => ({
  name,
  inputSchema,
  annotations: { readOnlyHint: true },
  ...extra,
});

/** The lines from the first one starting with `first` through the next one equal to `last`. */
function block(dts: string, first: string, last: string): string {
  const all = dts.split('\n');
  const start = all.findIndex((line) => line.startsWith(first));
  assert.notEqual(start, -1, `no line starts with ${first}`);
  const end = all.indexOf(last, start);
  assert.notEqual(end, -1, `no line ${last} after ${first}`);
  return all.slice(start, end + 1).join('\n');
}

const namespaceOf = (dts: string) => block(dts, 'declare namespace McpApi {', '}');
const mcpOf = (dts: string) => block(dts, 'declare const mcp: {', '};');

describe('generateDts', () => {
  it('declares the API of a server with two tools (the whole file)', () => {
    const fs: ServerTools = {
      server: 'fs',
      tools: [
        tool(
          'read_text_file',
          {
            type: 'object',
            properties: {
              path: { type: 'string', description: 'Path of the file.' },
              head: { type: 'number', description: 'Only the first N lines.' },
            },
            required: ['path'],
          },
          { title: 'Read Text File', description: 'Reads a file as text.\nFails on binary files.' },
        ),
        tool(
          'list_allowed_directories',
          { type: 'object', properties: {} },
          {
            description: 'Lists the directories this server may access.',
            outputSchema: {
              type: 'object',
              properties: { directories: { type: 'array', items: { type: 'string' } } },
              required: ['directories'],
            },
          },
        ),
      ],
    };
    assert.equal(
      generateDts([fs]),
      lines(
        '// Code Mode API, generated from the tools of the configured MCP servers. Do not edit: it is rewritten when they change.',
        '// A script runs as the body of an async function: `await` the tool calls and `return` the result.',
        '',
        '/** Types of the MCP tools: per server an interface of its tools; per tool its arguments and its result. */',
        'declare namespace McpApi {',
        '  /**',
        '   * What a tool without an output schema resolves to: its structuredContent when the server sends one; else, when',
        '   * every content item is text, the text (items joined with "\\n"; "" for no content) parsed as JSON when it is JSON,',
        '   * otherwise the text itself; else the content array (images, audio, resources). Narrow it before use.',
        '   */',
        '  type UntypedResult = unknown;',
        '',
        '  /** Tools of MCP server "fs", called as mcp.fs.<tool>(args). */',
        '  interface FsTools {',
        '    /**',
        '     * Read Text File',
        '     *',
        '     * Reads a file as text.',
        '     * Fails on binary files.',
        '     *',
        '     * Tool "read_text_file" on server "fs".',
        '     */',
        '    readTextFile(args: FsReadTextFileInput): Promise<FsReadTextFileOutput>;',
        '    /**',
        '     * Lists the directories this server may access.',
        '     *',
        '     * Tool "list_allowed_directories" on server "fs".',
        '     */',
        '    listAllowedDirectories(args?: FsListAllowedDirectoriesInput): Promise<FsListAllowedDirectoriesOutput>;',
        '  }',
        '',
        '  /** Arguments of tool "read_text_file" on server "fs". */',
        '  type FsReadTextFileInput = {',
        '    /** Path of the file. */',
        '    path: string;',
        '    /** Only the first N lines. */',
        '    head?: number;',
        '  };',
        '',
        '  /** Result of tool "read_text_file" on server "fs", which has no output schema: see UntypedResult. */',
        '  type FsReadTextFileOutput = UntypedResult;',
        '',
        '  /** Arguments of tool "list_allowed_directories" on server "fs". */',
        '  type FsListAllowedDirectoriesInput = { [key: string]: unknown };',
        '',
        '  /** Result of tool "list_allowed_directories" on server "fs": its structuredContent, as its output schema describes it. */',
        '  type FsListAllowedDirectoriesOutput = {',
        '    directories: string[];',
        '  };',
        '}',
        '',
        '/**',
        ' * How a failed call rejects: the tool reported an error (`isError`), the server failed the request, or the server',
        " * or tool is unknown. `message` carries the server's text; `server` and `tool` are the exact names.",
        ' */',
        'interface ToolError extends Error {',
        '  name: "ToolError";',
        '  server: string;',
        '  tool: string;',
        '}',
        '',
        '/** The MCP tools: `await mcp.<server>.<tool>(args)`, or `await mcp.call(server, tool, args)` with the exact names. */',
        'declare const mcp: {',
        '  /** Tools of MCP server "fs". */',
        '  readonly fs: McpApi.FsTools;',
        '  /** Tool "read_text_file" on server "fs": mcp.fs.readTextFile. */',
        '  call(server: "fs", tool: "read_text_file", args: McpApi.FsReadTextFileInput): Promise<McpApi.FsReadTextFileOutput>;',
        '  /** Tool "list_allowed_directories" on server "fs": mcp.fs.listAllowedDirectories. */',
        '  call(server: "fs", tool: "list_allowed_directories", args?: McpApi.FsListAllowedDirectoriesInput): Promise<McpApi.FsListAllowedDirectoriesOutput>;',
        '  /** Calls any tool by its exact server and tool names; rejects with a ToolError. */',
        '  call(server: string, tool: string, args?: Record<string, unknown>): Promise<unknown>;',
        '};',
        '',
        "/** Captured and returned with the run's result (capped). */",
        'interface Console {',
        '  log(...args: unknown[]): void;',
        '  info(...args: unknown[]): void;',
        '  warn(...args: unknown[]): void;',
        '  error(...args: unknown[]): void;',
        '  debug(...args: unknown[]): void;',
        '}',
        'declare var console: Console;',
        "/** Runs `callback` after `ms` milliseconds, within the run's time limit. */",
        'declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): number;',
        'declare function setTimeout(callback: (value: void) => void, ms?: number): number;',
        'declare function clearTimeout(id?: number): void;',
        '',
      ),
    );
  });

  it("says in each tool's doc what a call may change, from its annotations or MCP's defaults; reads say nothing", () => {
    const dts = generateDts([
      {
        server: 's',
        tools: [
          tool('get', undefined, { annotations: { readOnlyHint: true } }),
          tool('put', undefined, { annotations: { destructiveHint: false, idempotentHint: true } }),
          tool('drop', undefined, { annotations: { destructiveHint: true, openWorldHint: false } }),
          tool('bare', undefined, { annotations: undefined }),
        ],
      },
    ]);
    const approval = 'The user may be asked to approve the call; declined, it rejects with a ToolError.';
    assert.equal(
      block(dts, '  interface STools {', '  }'),
      lines(
        '  interface STools {',
        '    /** Tool "get" on server "s". */',
        '    get(args?: SGetInput): Promise<SGetOutput>;',
        '    /**',
        '     * Tool "put" on server "s".',
        '     *',
        `     * Effect: writes (idempotent). ${approval}`,
        '     */',
        '    put(args?: SPutInput): Promise<SPutOutput>;',
        '    /**',
        '     * Tool "drop" on server "s".',
        '     *',
        `     * Effect: may write, delete or overwrite (closed world). ${approval}`,
        '     */',
        '    drop(args?: SDropInput): Promise<SDropOutput>;',
        '    /**',
        '     * Tool "bare" on server "s".',
        '     *',
        `     * Effect: may write, delete or overwrite (the server gives no annotations). ${approval}`,
        '     */',
        '    bare(args?: SBareInput): Promise<SBareOutput>;',
        '  }',
      ),
    );
  });

  it('declares only mcp.call when no server has tools', () => {
    const dts = generateDts([{ server: 'idle', tools: [] }]);
    assert.equal(
      namespaceOf(dts),
      lines(
        'declare namespace McpApi {',
        '  /**',
        '   * What a tool without an output schema resolves to: its structuredContent when the server sends one; else, when',
        '   * every content item is text, the text (items joined with "\\n"; "" for no content) parsed as JSON when it is JSON,',
        '   * otherwise the text itself; else the content array (images, audio, resources). Narrow it before use.',
        '   */',
        '  type UntypedResult = unknown;',
        '}',
      ),
    );
    assert.equal(
      mcpOf(dts),
      lines(
        'declare const mcp: {',
        '  /** Calls any tool by its exact server and tool names; rejects with a ToolError. */',
        '  call(server: string, tool: string, args?: Record<string, unknown>): Promise<unknown>;',
        '};',
      ),
    );
  });

  it('requires args when the schema, a $ref or an allOf member requires a property', () => {
    const dts = generateDts([
      {
        server: 's',
        tools: [
          tool('none'),
          tool('optional', { type: 'object', properties: { a: { type: 'string' } } }),
          tool('direct', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }),
          tool('all_of', { allOf: [{ type: 'object' }, { required: ['a'] }] }),
          tool('ref', { $ref: '#/$defs/Args', $defs: { Args: { type: 'object', required: ['a'] } } }),
        ],
      },
    ]);
    assert.equal(
      block(dts, '  interface STools {', '  }')
        .split('\n')
        .filter((line) => !line.trim().startsWith('/**'))
        .join('\n'),
      lines(
        '  interface STools {',
        '    none(args?: SNoneInput): Promise<SNoneOutput>;',
        '    optional(args?: SOptionalInput): Promise<SOptionalOutput>;',
        '    direct(args: SDirectInput): Promise<SDirectOutput>;',
        '    allOf(args: SAllOfInput): Promise<SAllOfOutput>;',
        '    ref(args: SRefInput): Promise<SRefOutput>;',
        '  }',
      ),
    );
  });

  it('makes a required argument that has a default optional, and args with it (results keep their required members)', () => {
    const withDefault = { type: 'object', properties: { scale: { type: 'number', default: 1 } }, required: ['scale'] };
    const dts = generateDts([
      {
        server: 's',
        tools: [
          tool('shot', withDefault, { outputSchema: withDefault }),
          tool('mixed', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number', default: 2 } }, required: ['a', 'b'] }),
        ],
      },
    ]);
    assert.equal(
      block(dts, '  interface STools {', '  }')
        .split('\n')
        .filter((line) => !line.trim().startsWith('/**'))
        .join('\n'),
      lines(
        '  interface STools {',
        '    shot(args?: SShotInput): Promise<SShotOutput>;',
        '    mixed(args: SMixedInput): Promise<SMixedOutput>;',
        '  }',
      ),
    );
    assert.match(dts, /type SShotInput = \{\n\s+scale\?: number;\n\s+\};/);
    assert.match(dts, /type SShotOutput = \{\n\s+scale: number;\n\s+\};/);
    assert.match(dts, /type SMixedInput = \{\n\s+a: string;\n\s+b\?: number;\n\s+\};/);
  });

  it('escapes exact names in string literals and */ in comments', () => {
    const dts = generateDts([
      {
        server: 'we"ird*/',
        tools: [tool('a*/b\nc', { type: 'object' }, { title: 'T */', description: 'Ends */ early? /* no' })],
      },
    ]);
    assert.equal(
      block(dts, '  /** Tools of MCP server', '  }'),
      lines(
        '  /** Tools of MCP server "we\\"ird*\\/", called as mcp.weIrd.<tool>(args). */',
        '  interface WeIrdTools {',
        '    /**',
        '     * T *\\/',
        '     *',
        '     * Ends *\\/ early? /* no',
        '     *',
        '     * Tool "a*\\/b\\nc" on server "we\\"ird*\\/".',
        '     */',
        '    aBC(args?: WeIrdABCInput): Promise<WeIrdABCOutput>;',
        '  }',
      ),
    );
    assert.ok(
      mcpOf(dts).includes('  call(server: "we\\"ird*/", tool: "a*/b\\nc", args?: McpApi.WeIrdABCInput): Promise<McpApi.WeIrdABCOutput>;'),
    );
  });

  it('keeps type names unique across servers', () => {
    const dts = generateDts([
      { server: 'fsRead', tools: [tool('file')] },
      { server: 'fs', tools: [tool('read-file')] },
      { server: 'promise', tools: [tool('x')] },
    ]);
    assert.ok(dts.includes('    file(args?: FsReadFileInput): Promise<FsReadFileOutput>;'));
    assert.ok(dts.includes('    readFile(args?: FsReadFileInput2): Promise<FsReadFileOutput2>;'));
    assert.ok(dts.includes('  readonly promise: McpApi.PromiseTools;'));
  });

  it('names $defs per tool, so recursive schemas keep their types', () => {
    const dts = generateDts([
      {
        server: 'mem',
        tools: [
          tool(
            'walk',
            {
              type: 'object',
              properties: { root: { $ref: '#/$defs/Node' }, again: { $ref: '#' } },
              $defs: {
                Node: {
                  description: 'A node of the tree.',
                  type: 'object',
                  properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
                },
              },
            },
            {
              outputSchema: {
                $ref: '#/definitions/Node',
                definitions: { Node: { type: 'object', properties: { next: { $ref: '#/definitions/Node' } } } },
              },
            },
          ),
        ],
      },
    ]);
    assert.equal(
      block(dts, '  /** Arguments of tool "walk"', '  };'),
      lines(
        '  /** Arguments of tool "walk" on server "mem". */',
        '  type MemWalkInput = {',
        '    root?: MemWalkNode;',
        '    again?: MemWalkInput;',
        '  };',
      ),
    );
    assert.equal(
      block(dts, '  /** A node of the tree. */', '  };'),
      lines('  /** A node of the tree. */', '  type MemWalkNode = {', '    children?: MemWalkNode[];', '  };'),
    );
    assert.equal(
      block(dts, '  /** Result of tool "walk"', '  };'),
      lines(
        '  /** Result of tool "walk" on server "mem": its structuredContent, as its output schema describes it. */',
        '  type MemWalkOutput = MemWalkOutputNode;',
        '  type MemWalkOutputNode = {',
        '    next?: MemWalkOutputNode;',
        '  };',
      ),
    );
  });

  it('turns refs that would make an alias circular into unknown, and keeps the others', () => {
    const dts = generateDts([
      {
        server: 'c',
        tools: [
          tool('t', {
            type: 'object',
            $defs: {
              Self: { $ref: '#/$defs/Self' },
              OrString: { anyOf: [{ $ref: '#/$defs/OrString' }, { type: 'string' }] },
              List: { type: 'array', items: { $ref: '#/$defs/Alias' } },
              Alias: { $ref: '#/$defs/List' },
              Both: { allOf: [{ $ref: '#/$defs/Other' }, { type: 'object' }] },
              Other: { $ref: '#/$defs/Both' },
              // TypeScript resolves an array under an optional tuple element eagerly: `type A = [A[]?] | null` fails.
              Opt: { type: ['array', 'null'], prefixItems: [{ type: 'array', items: { $ref: '#/$defs/Opt' } }] },
              Json: {
                anyOf: [
                  { type: ['string', 'number', 'boolean', 'null'] },
                  { type: 'array', items: { $ref: '#/$defs/Json' } },
                  { type: 'object', additionalProperties: { $ref: '#/$defs/Json' } },
                ],
              },
            },
          }),
        ],
      },
    ]);
    assert.equal(
      block(dts, '  type CTSelf', '  type CTJson = string | number | boolean | null | CTJson[] | { [key: string]: CTJson };'),
      lines(
        '  type CTSelf = unknown;',
        '  type CTOrString = unknown;',
        '  type CTList = CTAlias[];', // through an array element: fine
        '  type CTAlias = CTList;',
        '  type CTBoth = { [key: string]: unknown };',
        '  type CTOther = unknown;',
        '  type CTOpt = [unknown[]?, ...unknown[]] | null;',
        '  type CTJson = string | number | boolean | null | CTJson[] | { [key: string]: CTJson };',
      ),
    );
  });

  it('declares only the tools asked for, under the names of the whole file', () => {
    const servers: ServerTools[] = [
      { server: 'a', tools: [tool('x'), tool('y')] },
      { server: 'b', tools: [tool('x')] },
    ];
    const [, y] = bindApi(servers);
    const dts = generateDts(servers, { only: new Set([y]) });
    assert.equal(
      block(dts, '  /** Tools of MCP server "a"', '  type AYOutput = UntypedResult;'),
      lines(
        '  /** Tools of MCP server "a", called as mcp.a.<tool>(args). */',
        '  interface ATools {',
        '    /** Tool "y" on server "a". */',
        '    y(args?: AYInput): Promise<AYOutput>;',
        '  }',
        '',
        '  /** Arguments of tool "y" on server "a". */',
        '  type AYInput = { [key: string]: unknown };',
        '',
        '  /** Result of tool "y" on server "a", which has no output schema: see UntypedResult. */',
        '  type AYOutput = UntypedResult;',
      ),
    );
    assert.ok(!dts.includes('AXInput') && !dts.includes('BTools'));
    // An excerpt for a model: no header, globals, ToolError or per-tool call overloads; the generic call stays.
    assert.ok(dts.startsWith('/** Types of the MCP tools'));
    assert.ok(!dts.includes('interface Console') && !dts.includes('interface ToolError') && !dts.includes('call(server: "a"'));
    assert.ok(mcpOf(dts).includes('  call(server: string, tool: string, args?: Record<string, unknown>): Promise<unknown>;'));
  });

  it('is deterministic', () => {
    const servers: ServerTools[] = [{ server: 'x', tools: [tool('a', { type: 'object', properties: { b: { enum: [1, 2] } } })] }];
    assert.equal(generateDts(servers), generateDts(structuredClone(servers)));
  });
});
