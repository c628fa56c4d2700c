import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDts } from '../../../src/core/codegen/dts';
import type { JsonSchema, ServerTools, ToolInfo } from '../../../src/core/mcp/toolInfo';
import { typeCheck } from '../compileTypeScript';

/** Type-checks the named texts as scripts are checked (compileTypeScript.ts); positions are relative to the folder. */
function compile(files: Record<string, string>, lib?: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-dts-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    });
    return typeCheck(paths, lib).map((problem) => problem.replace(`${dir}/`, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tool = (name: string, inputSchema: JsonSchema, extra: Partial<ToolInfo> = {}): ToolInfo => ({ name, inputSchema, ...extra });
const str = (description?: string) => ({ type: 'string', ...(description ? { description } : {}) });
const obj = (properties: JsonSchema, required: string[] = [], extra: JsonSchema = {}) => ({
  type: 'object',
  properties,
  required,
  ...extra,
});

// Shaped like the tools of well-known MCP servers (filesystem, memory, an issue tracker, a test server).
const realistic: ServerTools[] = [
  {
    server: 'filesystem',
    tools: [
      tool(
        'read_text_file',
        obj({ path: str(), head: { type: 'number', description: 'First N lines' }, tail: { type: 'number' } }, ['path']),
        {
          title: 'Read Text File',
          description: 'Read the complete contents of a file from the file system as text.\nOnly works within allowed directories.',
        },
      ),
      tool('write_file', obj({ path: str(), content: str() }, ['path', 'content'], { additionalProperties: false })),
      tool(
        'edit_file',
        obj(
          {
            path: str(),
            edits: {
              type: 'array',
              items: obj({ oldText: str('Text to search for - must match exactly'), newText: str() }, ['oldText', 'newText']),
            },
            dryRun: { type: 'boolean', default: false, description: 'Preview changes using git-style diff format' },
          },
          ['path', 'edits'],
        ),
      ),
      tool('list_directory', obj({ path: str() }, ['path'])),
      tool(
        'search_files',
        obj({ path: str(), pattern: str(), excludePatterns: { type: 'array', items: str(), default: [] } }, ['path', 'pattern']),
      ),
      tool('get_file_info', obj({ path: str() }, ['path']), {
        outputSchema: obj(
          {
            size: { type: 'integer' },
            created: { type: 'string', format: 'date-time' },
            isDirectory: { type: 'boolean' },
            permissions: str(),
          },
          ['size', 'created', 'isDirectory', 'permissions'],
        ),
      }),
      tool(
        'list_allowed_directories',
        { type: 'object', properties: {}, required: [] },
        {
          outputSchema: obj({ directories: { type: 'array', items: str() } }, ['directories']),
        },
      ),
      tool('directory_tree', obj({ path: str() }, ['path']), {
        outputSchema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'array',
          items: { $ref: '#/$defs/Entry' },
          $defs: {
            Entry: obj(
              { name: str(), type: { enum: ['file', 'directory'] }, children: { type: 'array', items: { $ref: '#/$defs/Entry' } } },
              ['name', 'type'],
            ),
          },
        },
      }),
    ],
  },
  {
    server: 'memory',
    tools: [
      tool(
        'create_entities',
        obj(
          {
            entities: {
              type: 'array',
              items: obj({ name: str('The name of the entity'), entityType: str(), observations: { type: 'array', items: str() } }, [
                'name',
                'entityType',
                'observations',
              ]),
            },
          },
          ['entities'],
        ),
      ),
      tool(
        'create_relations',
        obj({ relations: { type: 'array', items: { $ref: '#/definitions/Relation' } } }, ['relations'], {
          definitions: { Relation: obj({ from: str(), to: str(), relationType: str('In active voice') }, ['from', 'to', 'relationType']) },
        }),
      ),
      tool('read_graph', { type: 'object', properties: {} }),
      tool('search_nodes', obj({ query: str() }, ['query'])),
    ],
  },
  {
    server: 'github',
    tools: [
      tool(
        'list_issues',
        obj(
          {
            owner: str(),
            repo: str(),
            state: { type: 'string', enum: ['open', 'closed', 'all'] },
            labels: { type: 'array', items: str(), nullable: true },
            since: { type: ['string', 'null'], format: 'date-time' },
            per_page: { type: 'integer', minimum: 1, maximum: 100 },
          },
          ['owner', 'repo'],
        ),
      ),
      tool(
        'create_issue',
        obj(
          {
            owner: str(),
            repo: str(),
            title: str(),
            body: str(),
            assignees: { anyOf: [{ type: 'array', items: str() }, { type: 'null' }] },
            milestone: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
          },
          ['owner', 'repo', 'title'],
        ),
      ),
      tool('search_code', { allOf: [obj({ q: str() }, ['q']), obj({ sort: { const: 'indexed' }, order: { enum: ['asc', 'desc'] } })] }),
    ],
  },
  {
    server: 'everything',
    tools: [
      tool('echo', obj({ message: str('Message to echo') }, ['message'])),
      tool('add', obj({ a: { type: 'number' }, b: { type: 'number' } }, ['a', 'b'])),
      tool('longRunningOperation', obj({ duration: { type: 'number', default: 10 }, steps: { type: 'number', default: 5 } })),
      tool('getTinyImage', { type: 'object', properties: {} }),
      tool(
        'annotatedMessage',
        obj({ messageType: { type: 'string', enum: ['error', 'success', 'debug'] }, includeImage: { type: 'boolean' } }, ['messageType']),
      ),
      tool('structuredContent', obj({ location: str() }, ['location']), {
        outputSchema: obj({ temperature: { type: 'number' }, conditions: str(), humidity: { type: 'number' } }, [
          'temperature',
          'conditions',
          'humidity',
        ]),
      }),
    ],
  },
];

const weirdKeys = [
  'x-api-key',
  '0',
  'a b',
  '__proto__',
  'constructor',
  'toString',
  '日本',
  'emoji😀',
  '',
  'say "hi"',
  'back\\slash',
  'line\u2028sep',
  '*/',
  '$ref',
];

// Every case that could break the output: recursion, comment terminators, odd names and literals, composition.
const hardCases: ServerTools[] = [
  {
    server: 'hard cases */',
    tools: [
      tool(
        'tree',
        {
          type: 'object',
          properties: {
            root: { $ref: '#/$defs/Node' },
            same: { $ref: '#' },
            old: { $ref: '#/definitions/Old' },
            missing: { $ref: '#/$defs/Nope' },
          },
          required: ['root'],
          $defs: {
            Node: {
              description: 'A node. */ Not the end of the comment.',
              type: 'object',
              properties: {
                label: str(),
                children: { type: 'array', items: { $ref: '#/$defs/Node' } },
                parent: { anyOf: [{ $ref: '#/$defs/Node' }, { type: 'null' }] },
              },
              required: ['label'],
            },
            Json: {
              anyOf: [
                { type: ['string', 'number', 'boolean', 'null'] },
                { type: 'array', items: { $ref: '#/$defs/Json' } },
                { type: 'object', additionalProperties: { $ref: '#/$defs/Json' } },
              ],
            },
            Self: { $ref: '#/$defs/Self' },
            Loop: { anyOf: [{ $ref: '#/$defs/Loop' }, { type: 'string' }] },
            PingA: { allOf: [{ $ref: '#/$defs/PingB' }] },
            PingB: { oneOf: [{ $ref: '#/$defs/PingA' }, { type: 'number' }] },
            ListA: { type: 'array', items: { $ref: '#/$defs/ListB' } },
            ListB: { $ref: '#/$defs/ListA' },
            TupleSelf: { type: 'array', prefixItems: [{ $ref: '#/$defs/TupleSelf' }], minItems: 1 },
            OptionalList: { type: ['array', 'null'], prefixItems: [{ type: 'array', items: { $ref: '#/$defs/OptionalList' } }] },
            RestList: { type: 'array', items: { type: 'array', items: { $ref: '#/$defs/RestList' } }, prefixItems: [], nullable: true },
            'weird/name~x': { type: 'string' },
            delete: { $ref: '#/$defs/weird~1name~0x' },
            '': { type: 'boolean' },
          },
          definitions: { Old: obj({ next: { $ref: '#/definitions/Old' } }), Node: { const: 'clash with $defs/Node' } },
        },
        { title: 'Tree */ title', description: 'Walks a tree.\n*/ closes nothing.\n/* opens nothing' },
      ),
      tool('quoted_keys', {
        type: 'object',
        properties: Object.fromEntries(weirdKeys.map((key) => [key, { type: 'string', description: `Key ${key}` }])),
        required: ['x-api-key', '__proto__', ''],
      }),
      tool(
        'literals',
        obj({
          mode: {
            enum: [
              'say "hi"',
              "it's",
              'back\\slash',
              'new\nline',
              'sep\u2028\u2029',
              '*/',
              '${x}',
              '`tick`',
              '😀',
              '\ud800',
              '',
              0,
              -1.5,
              1e21,
              true,
              null,
            ],
          },
          fixed: { const: 'a"b' },
          nothing: { enum: [] },
          objects: { enum: [{ a: 1 }, [1, 2]] },
        }),
      ),
      tool(
        'composition',
        obj({
          all: {
            allOf: [obj({ a: str() }, ['a']), obj({ b: { type: 'number' } }, ['b']), { anyOf: [obj({ c: str() }), { type: 'null' }] }],
          },
          one: {
            oneOf: [obj({ kind: { const: 'x' }, x: str() }, ['kind']), obj({ kind: { const: 'y' }, y: { type: 'number' } }, ['kind'])],
          },
          nullable: { type: 'object', nullable: true, properties: { a: { type: 'integer', nullable: true } } },
          typeArray: { type: ['object', 'array', 'null'], properties: { a: str() }, items: { type: 'number' } },
          never: false,
          anything: true,
        }),
      ),
      tool(
        'tuples',
        obj(
          {
            point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], minItems: 2, maxItems: 2 },
            open: { type: 'array', prefixItems: [str(), { type: ['number', 'null'] }], minItems: 1, items: { type: 'boolean' } },
            draft7: { type: 'array', items: [str(), obj({ a: str() })], additionalItems: false },
            empty: { type: 'array', maxItems: 0, prefixItems: [str()] },
          },
          ['point'],
        ),
      ),
      tool(
        'maps',
        obj({
          counts: { type: 'object', additionalProperties: { type: 'integer' } },
          mixed: obj({ a: str() }, ['a'], { additionalProperties: { type: 'number' } }),
          same: obj({ a: str() }, ['a'], { additionalProperties: { type: 'string' } }),
          optionalSame: obj({ a: str() }, [], { additionalProperties: { type: 'string' } }),
          closed: { type: 'object', additionalProperties: false },
          patterned: { type: 'object', properties: { a: str() }, patternProperties: { '^x-': str() }, additionalProperties: false },
          nested: {
            type: 'object',
            additionalProperties: obj({ deep: { type: 'object', additionalProperties: { type: 'array', items: str() } } }),
          },
        }),
      ),
      tool(
        'deep',
        (() => {
          let schema: JsonSchema = { type: 'string' };
          for (let i = 0; i < 100; i++) {
            schema = i % 2 ? { type: 'array', items: schema } : obj({ inner: schema }, ['inner']);
          }
          return schema;
        })(),
      ),
      tool('garbage', {
        type: 'object',
        properties: { a: null, b: 42, c: 'string', d: [], e: { type: 42 }, f: { type: [] }, g: { anyOf: [] }, h: { required: 'x' } },
      }),
      tool('delete', obj({ id: str() }, ['id'])),
      tool('2fa', { type: 'object' }),
      tool('constructor', { type: 'object' }),
      tool('', { type: 'object' }),
      tool('!!!', { type: 'object' }),
      tool('tool1', { type: 'object' }),
      tool('café', { type: 'object' }),
      tool('say "hi"\n*/', { type: 'object' }, { description: '*/*/*/' }),
      tool('no_schema', undefined as unknown as JsonSchema),
      tool('empty_schema', {}),
      tool(
        'recursive_output',
        { type: 'object' },
        {
          outputSchema: {
            type: 'object',
            properties: { items: { type: 'array', items: { $ref: '#' } }, Input: { $ref: '#/$defs/Input' } },
            $defs: { Input: str() },
          },
        },
      ),
    ],
  },
  { server: 'call', tools: [tool('call', { type: 'object' })] },
  { server: '', tools: [tool('x', { type: 'object' })] },
  { server: 'promise', tools: [tool('error', { type: 'object' }), tool('record', { type: 'object' })] },
  { server: 'idle', tools: [] },
];

const usage = `
async function main(): Promise<unknown> {
  const text = await mcp.filesystem.readTextFile({ path: '/tmp/a.txt', head: 10 });
  const same = await mcp.call('filesystem', 'read_text_file', { path: '/tmp/a.txt' });
  const info = await mcp.filesystem.getFileInfo({ path: 'x' });
  const size: number = info.size;
  const dirs: string[] = (await mcp.call('filesystem', 'list_allowed_directories')).directories;
  const tree = await mcp.filesystem.directoryTree({ path: '.' });
  const names: string[] = tree.flatMap((entry) => [entry.name, ...(entry.children ?? []).map((c) => c.name)]);
  await mcp.memory.createEntities({ entities: [{ name: 'a', entityType: 'person', observations: [] }] });
  await mcp.memory.createRelations({ relations: [{ from: 'a', to: 'b', relationType: 'knows' }] });
  const graph = await mcp.memory.readGraph();
  await mcp.github.listIssues({ owner: 'o', repo: 'r', state: 'open', labels: null, since: null });
  await mcp.github.searchCode({ q: 'x', order: 'asc' });
  const weather = await mcp.call('everything', 'structuredContent', { location: 'Paris' });
  const celsius: number = weather.temperature;
  const loose: unknown = await mcp.call('not-configured', 'anything', { any: 1 });

  const root: McpApi.HardCasesTreeNode = { label: 'r', children: [{ label: 'c', parent: null }] };
  await mcp.hardCases.tree({ root, same: { root } });
  await mcp.hardCases.quotedKeys({ 'x-api-key': 'k', ['__proto__']: 'p', '': 'e', 'emoji😀': 'e' });
  await mcp.hardCases.literals({ mode: 'say "hi"', fixed: 'a"b' });
  await mcp.hardCases.tuples({ point: [1, 2], open: ['a', null, true, false], draft7: ['a', { a: 'b' }] });
  await mcp.hardCases.composition({ all: { a: 'a', b: 1, c: 'c' }, one: { kind: 'y', y: 2 }, nullable: null });
  await mcp.hardCases.maps({ counts: { a: 1 }, same: { a: 'x', b: 'y' } });
  await mcp.hardCases._delete({ id: '1' });
  await mcp.hardCases._2fa();
  await mcp.hardCases._constructor();
  await mcp.hardCases.tool12();
  await mcp.hardCases.tool13();
  await mcp.hardCases.tool1();
  await mcp.hardCases.café();
  await mcp.call('hard cases */', 'say "hi"\\n*/', {});
  await mcp.call('hard cases */', '', {});
  await mcp._call.call();
  await mcp.server7.x();
  await mcp.promise.error();

  // The types are strict, not just present:
  // @ts-expect-error path is required
  await mcp.filesystem.readTextFile({});
  // @ts-expect-error not one of the enum's values
  await mcp.github.listIssues({ owner: 'o', repo: 'r', state: 'closedd' });
  // @ts-expect-error additionalProperties: false
  await mcp.filesystem.writeFile({ path: 'a', content: 'b', mode: 1 });
  // @ts-expect-error a tuple of exactly two numbers
  await mcp.hardCases.tuples({ point: [1, 2, 3] });
  // @ts-expect-error no such tool
  await mcp.filesystem.deleteEverything();

  await new Promise<void>((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setTimeout(resolve, 1));
  clearTimeout(setTimeout((label: string) => console.log(label), 5, 'late'));
  try {
    await mcp.everything.echo({ message: 'hi' });
  } catch (e) {
    const error = e as ToolError;
    console.error(error.name, error.server, error.tool, error.message);
  }
  return { text, same, size, dirs, names, graph, celsius, loose };
}
void main;
`;

describe('generated .d.ts compiles', function () {
  this.timeout(60_000); // a TypeScript program with its library takes a few seconds

  it('type-checks realistic servers and the hard cases under --strict with lib ES2022 alone', () => {
    assert.deepEqual(compile({ 'api.d.ts': generateDts([...realistic, ...hardCases]) }), []);
  });

  it('type-checks a script that calls tools both ways', () => {
    assert.deepEqual(compile({ 'api.d.ts': generateDts([...realistic, ...hardCases]), 'script.ts': usage }), []);
  });

  it('still type-checks beside the DOM library, whose console and timers it merges with', () => {
    const files = { 'api.d.ts': generateDts([...realistic, ...hardCases]), 'script.ts': usage };
    assert.deepEqual(compile(files, ['lib.es2022.d.ts', 'lib.dom.d.ts']), []);
  });

  it('type-checks 300 random schemas', () => {
    const random = randomSchemas(20_250_101);
    const servers: ServerTools[] = [0, 1, 2].map((s) => ({
      server: ['alpha', 'beta-server', 'γ'][s],
      tools: Array.from({ length: 100 }, (_, i) => {
        const input = random.schema(0);
        const defs = Object.fromEntries(['A', 'B', 'C'].map((name) => [name, random.schema(1)]));
        const root = random.isObject(input) ? { ...input, $defs: defs } : input;
        return tool(random.pick(['t', 'get_user', 'getUser', '', 'delete', `tool${i}`, 'x*/y']), root as JsonSchema, {
          description: random.text(),
          ...(i % 3 === 0 ? { outputSchema: { type: 'object', properties: { r: random.schema(1) }, $defs: defs } } : {}),
        });
      }),
    }));
    assert.deepEqual(compile({ 'api.d.ts': generateDts(servers) }), []);
  });
});

/** Deterministic random schemas built from every keyword the generator reads, valid or not. */
function randomSchemas(seed: number) {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const text = () => pick(['', 'plain', 'a */ b', 'two\nlines', '"quoted"', 'line\u2028sep', '\\', '😀']);
  const value = () => pick<unknown>([text(), 0, -3, 2.5, true, false, null, { a: 1 }, [1]]);
  const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
  const schema = (depth: number): unknown => {
    const leaf = depth > 4;
    const kind = leaf
      ? pick(['prim', 'enum', 'ref', 'bool'])
      : pick(['prim', 'enum', 'const', 'object', 'array', 'tuple', 'anyOf', 'allOf', 'ref', 'bool', 'garbage', 'types']);
    const described = (s: JsonSchema) => ({
      ...s,
      ...(next() < 0.3 ? { description: text() } : {}),
      ...(next() < 0.15 ? { nullable: true } : {}),
    });
    switch (kind) {
      case 'prim':
        return described({ type: pick(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array', 'bogus']) });
      case 'types':
        return described({
          type: ['string', pick(['null', 'object', 'array']), pick(['integer', 'boolean'])],
          properties: { p: schema(depth + 1) },
          items: schema(depth + 1),
        });
      case 'enum':
        return described({ enum: Array.from({ length: Math.floor(next() * 4) }, value) });
      case 'const':
        return described({ const: value() });
      case 'object': {
        const keys = Array.from({ length: Math.floor(next() * 4) }, () => pick(weirdKeys.concat(['a', 'b', 'c'])));
        return described({
          type: 'object',
          properties: Object.fromEntries(keys.map((k) => [k, schema(depth + 1)])),
          required: keys.filter(() => next() < 0.5).concat(next() < 0.2 ? ['undeclared'] : []),
          ...pick([
            {},
            { additionalProperties: false },
            { additionalProperties: true },
            { additionalProperties: schema(depth + 1) },
            { patternProperties: { x: schema(depth + 1) } },
          ]),
        });
      }
      case 'array':
        return described({ type: 'array', items: schema(depth + 1), ...(next() < 0.3 ? { minItems: 1 } : {}) });
      case 'tuple':
        return described({
          type: 'array',
          [pick(['prefixItems', 'items'])]: Array.from({ length: Math.floor(next() * 3) }, () => schema(depth + 1)),
          ...pick([{}, { items: false }, { additionalItems: schema(depth + 1) }, { minItems: 1, maxItems: 2 }]),
        });
      case 'anyOf':
        return described({ [pick(['anyOf', 'oneOf'])]: Array.from({ length: Math.floor(next() * 3) }, () => schema(depth + 1)) });
      case 'allOf':
        return described({
          allOf: Array.from({ length: 1 + Math.floor(next() * 2) }, () => schema(depth + 1)),
          ...(next() < 0.5 ? { type: 'object' } : {}),
        });
      case 'ref':
        return { $ref: pick(['#', '#/$defs/A', '#/$defs/B', '#/$defs/C', '#/$defs/Missing', '#/properties/a', 'http://x/y']) };
      case 'bool':
        return next() < 0.5;
      default:
        return pick<unknown>([null, 42, 'text', [], { type: 42 }, { anyOf: 'x' }, { properties: [] }]);
    }
  };
  return { schema, pick, text, isObject };
}
