import type { ServerTools, ToolInfo } from '../mcp/toolInfo';
import { describeEffect, effectOf } from '../approval/toolAnnotations';
import { bindApi, capitalize, toIdentifier, uniqueNames, type ToolBinding } from './identifiers';
import { convertSchema, descriptionOf, docComment, hasDefault, isSchema, quote, resolvePointer } from './schemaToType';

const I1 = '  ';
const I2 = '    ';

// Global names the declarations below use; a generated type of the same name inside McpApi would shadow them.
const RESERVED_TYPE_NAMES = ['McpApi', 'UntypedResult', 'ToolError', 'Promise', 'Record', 'Error', 'Array', 'Console'];

const HEADER = [
  '// Code Mode API, generated from the tools of the configured MCP servers. Do not edit: it is rewritten when they change.',
  '// A script runs as the body of an async function: `await` the tool calls and `return` the result.',
];

const UNTYPED_RESULT = [
  `${I1}/**`,
  `${I1} * What a tool without an output schema resolves to: its structuredContent when the server sends one; else, when`,
  `${I1} * every content item is text, the text (items joined with "\\n"; "" for no content) parsed as JSON when it is JSON,`,
  `${I1} * otherwise the text itself; else the content array (images, audio, resources). Narrow it before use.`,
  `${I1} */`,
  `${I1}type UntypedResult = unknown;`,
];

const TOOL_ERROR = [
  '/**',
  ' * How a failed call rejects: the tool reported an error (`isError`), the server failed the request, or the server',
  " * or tool is unknown. `message` carries the server's text; `server` and `tool` are the exact names.",
  ' */',
  'interface ToolError extends Error {',
  `${I1}name: "ToolError";`,
  `${I1}server: string;`,
  `${I1}tool: string;`,
  '}',
];

// lib ES2022 has no console or timers; these are the sandbox's. `interface Console` merges with DOM's or Node's
// declarations where those are loaded too, so the file still compiles there.
const GLOBALS = [
  "/** Captured and returned with the run's result (capped). */",
  'interface Console {',
  `${I1}log(...args: unknown[]): void;`,
  `${I1}info(...args: unknown[]): void;`,
  `${I1}warn(...args: unknown[]): void;`,
  `${I1}error(...args: unknown[]): void;`,
  `${I1}debug(...args: unknown[]): void;`,
  '}',
  'declare var console: Console;',
  "/** Runs `callback` after `ms` milliseconds, within the run's time limit. */",
  // Typed like Node's, so that `new Promise((resolve) => setTimeout(resolve, 10))` type-checks with or without <void>.
  'declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): number;',
  'declare function setTimeout(callback: (value: void) => void, ms?: number): number;',
  'declare function clearTimeout(id?: number): void;',
];

export interface DtsOptions {
  /**
   * Declare only these tools (bindings from `bindApi` over the same servers, matched by their ids). Type names
   * stay those of the whole file. This excerpt is for a model's context: it leaves out what the run tool's
   * description already says (the header, the globals, ToolError) and the per-tool `mcp.call` overloads.
   */
  only?: ReadonlySet<ToolBinding>;
  /**
   * What a result without an output schema is declared as: `unknown` (default) makes a script narrow it; the
   * pre-run check uses `any`, because using such a result directly is not a mistake that certainly fails.
   */
  untypedResult?: 'unknown' | 'any';
  /** Configured servers this run cannot reach: typed `any`, since their calls fail at run time with the reason. */
  unavailable?: ReadonlyArray<{ serverId: string; server: string }>;
}

/** The whole `.d.ts` a script is written against: `mcp.<server>.<tool>(args)`, `mcp.call(...)`, and the globals. */
export function generateDts(servers: readonly ServerTools[], options: DtsOptions = {}): string {
  const bindings = bindApi(servers);
  const only = options.only && new Set([...options.only].map(idOf));
  const taken = new Set(RESERVED_TYPE_NAMES);
  const newName = (base: string) => uniqueNames([base], taken)[0];
  const namespace: string[] =
    options.untypedResult === 'any' ? [...UNTYPED_RESULT.slice(0, -1), `${I1}type UntypedResult = any;`] : [...UNTYPED_RESULT];
  const members: string[] = [];
  const overloads: string[] = [];
  let next = 0;
  for (const server of servers) {
    const tools = server.tools.map((tool) => ({ tool, binding: bindings[next++] }));
    if (tools.length === 0) {
      continue;
    }
    const serverId = tools[0].binding.serverId;
    const toolsName = newName(`${pascal(serverId)}Tools`);
    const methods: string[] = [];
    const types: string[] = [];
    for (const { tool, binding } of tools) {
      const api = toolTypes(tool, binding, newName); // also for skipped tools, so that names do not depend on `only`
      if (only && !only.has(idOf(binding))) {
        continue;
      }
      const args = `args${api.argsRequired ? '' : '?'}`;
      methods.push(...docComment(toolDoc(tool, binding), I2), `${I2}${binding.toolId}(${args}: ${api.input}): Promise<${api.output}>;`);
      types.push(...api.lines);
      overloads.push(
        ...docComment(`Tool ${quote(binding.tool)} on server ${quote(binding.server)}: mcp.${serverId}.${binding.toolId}.`, I1),
        `${I1}call(server: ${quote(binding.server)}, tool: ${quote(binding.tool)}, ${args}: McpApi.${api.input}): ` +
          `Promise<McpApi.${api.output}>;`,
      );
    }
    if (methods.length === 0) {
      continue;
    }
    namespace.push(
      '',
      ...docComment(`Tools of MCP server ${quote(server.server)}, called as mcp.${serverId}.<tool>(args).`, I1),
      `${I1}interface ${toolsName} {`,
      ...methods,
      `${I1}}`,
      ...types,
    );
    members.push(...docComment(`Tools of MCP server ${quote(server.server)}.`, I1), `${I1}readonly ${serverId}: McpApi.${toolsName};`);
  }
  for (const down of options.unavailable ?? []) {
    members.push(
      ...docComment(`MCP server ${quote(down.server)}, not available in this run: its calls reject with a ToolError saying why.`, I1),
      `${I1}readonly ${down.serverId}: any;`,
    );
  }
  const excerpt = only !== undefined;
  return [
    ...(excerpt ? [] : [...HEADER, '']),
    '/** Types of the MCP tools: per server an interface of its tools; per tool its arguments and its result. */',
    'declare namespace McpApi {',
    ...namespace,
    '}',
    '',
    ...(excerpt ? [] : [...TOOL_ERROR, '']),
    '/** The MCP tools: `await mcp.<server>.<tool>(args)`, or `await mcp.call(server, tool, args)` with the exact names. */',
    'declare const mcp: {',
    ...members,
    ...(excerpt ? [] : overloads),
    `${I1}/** Calls any tool by its exact server and tool names; rejects with a ToolError. */`,
    `${I1}call(server: string, tool: string, args?: Record<string, unknown>): Promise<unknown>;`,
    '};',
    '',
    ...(excerpt ? [] : [...GLOBALS, '']),
  ].join('\n');
}

function idOf(binding: ToolBinding): string {
  return `${binding.serverId}.${binding.toolId}`;
}

/** Names and declarations of one tool's argument and result types (with their `$defs`). */
function toolTypes(tool: ToolInfo, binding: ToolBinding, newName: (base: string) => string) {
  const base = pascal(binding.serverId, binding.toolId);
  const input = newName(`${base}Input`);
  const output = newName(`${base}Output`);
  const where = `tool ${quote(binding.tool)} on server ${quote(binding.server)}`;
  const lines = ['', ...schemaAliases(tool.inputSchema, input, `Arguments of ${where}.`, base, newName, true), ''];
  if (tool.outputSchema === undefined) {
    lines.push(...docComment(`Result of ${where}, which has no output schema: see UntypedResult.`, I1));
    lines.push(`${I1}type ${output} = UntypedResult;`);
  } else {
    const doc = `Result of ${where}: its structuredContent, as its output schema describes it.`;
    lines.push(...schemaAliases(tool.outputSchema, output, doc, output, newName));
  }
  return { input, output, lines, argsRequired: hasRequired(tool.inputSchema, tool.inputSchema, 0) };
}

/**
 * `type name = …` for a schema, plus one alias per entry of its `$defs`/`definitions` so that recursive refs have a
 * name. TypeScript rejects an alias that reaches itself eagerly (`type A = B | string; type B = A`): refs on such a
 * cycle become `unknown`. Cutting one can make an array eager that was deferred, hence the loop.
 */
function schemaAliases(
  root: unknown,
  name: string,
  doc: string,
  defBase: string,
  newName: (base: string) => string,
  defaultsOptional = false,
) {
  const nodes = [{ name, schema: root, doc: [doc, descriptionOf(root)].filter((d) => d !== '').join('\n\n') }];
  for (const container of ['$defs', 'definitions']) {
    const defs = isSchema(root) && Object.hasOwn(root, container) ? root[container] : undefined;
    if (isSchema(defs)) {
      Object.entries(defs).forEach(([key, def], i) => {
        if (isSchema(def)) {
          const id = toIdentifier(key) || `def${i + 1}`;
          nodes.push({ name: newName(`${defBase}${pascal(id)}`), schema: def, doc: descriptionOf(def) });
        }
      });
    }
  }
  const names = new Map<unknown, string>(nodes.map((node) => [node.schema, node.name]));
  // Refs from an alias to another that close an eager cycle: they become `unknown`, until no cycle is left.
  const cut = new Map(nodes.map((node) => [node.name, new Set<string>()]));
  for (;;) {
    const converted = nodes.map((node) =>
      convertSchema(node.schema, {
        indent: I1,
        root,
        defaultsOptional,
        resolveRef: (ref) => {
          const target = names.get(resolvePointer(root, ref));
          return target === undefined ? undefined : cut.get(node.name)?.has(target) ? null : target;
        },
      }),
    );
    const edges = new Map(nodes.map((node, i) => [node.name, new Set(converted[i].eagerRefs)]));
    let changed = false;
    for (const [from, targets] of edges) {
      for (const to of [...targets].filter((target) => reaches(edges, target, from))) {
        cut.get(from)?.add(to);
        changed = true;
      }
    }
    if (!changed) {
      return nodes.flatMap((node, i) => [...docComment(node.doc, I1), `${I1}type ${node.name} = ${converted[i].text};`]);
    }
  }
}

function reaches(edges: ReadonlyMap<string, ReadonlySet<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const visit = (name: string): boolean => {
    if (name === to) {
      return true;
    }
    if (seen.has(name)) {
      return false;
    }
    seen.add(name);
    return [...(edges.get(name) ?? [])].some(visit);
  };
  return visit(from);
}

/** Whether the arguments object must be passed: the schema (or a `$ref`/`allOf` it is made of) requires a property. */
function hasRequired(schema: unknown, root: unknown, depth: number): boolean {
  if (!isSchema(schema) || depth > 8) {
    return false;
  }
  const required = Object.hasOwn(schema, 'required') ? schema.required : undefined;
  const properties = Object.hasOwn(schema, 'properties') && isSchema(schema.properties) ? schema.properties : {};
  // A property with a default is one the server fills in: it does not make the arguments object necessary.
  const needed = (key: unknown) => typeof key === 'string' && !(Object.hasOwn(properties, key) && hasDefault(properties[key]));
  if (Array.isArray(required) && required.some(needed)) {
    return true;
  }
  const ref = Object.hasOwn(schema, '$ref') ? schema.$ref : undefined;
  if (typeof ref === 'string') {
    return hasRequired(resolvePointer(root, ref), root, depth + 1);
  }
  const allOf = Object.hasOwn(schema, 'allOf') ? schema.allOf : undefined;
  return Array.isArray(allOf) && allOf.some((member) => hasRequired(member, root, depth + 1));
}

function toolDoc(tool: ToolInfo, binding: ToolBinding): string {
  const title = typeof tool.title === 'string' ? tool.title.trim() : '';
  const description = typeof tool.description === 'string' ? tool.description.trim() : '';
  const names = `Tool ${quote(binding.tool)} on server ${quote(binding.server)}.`;
  return [title === description ? '' : title, description, names, effectDoc(tool)].filter((part) => part !== '').join('\n\n');
}

/**
 * What a call that may change things may do, from the server's annotations (MCP's defaults when it gives none): such
 * a call can wait for the user's approval and be declined (README "Approvals"). Reads say nothing, as in the index.
 */
function effectDoc(tool: ToolInfo): string {
  if (effectOf(tool.annotations) === 'read') {
    return '';
  }
  const unannotated = tool.annotations ? '' : ' (the server gives no annotations)';
  return `Effect: ${describeEffect(tool.annotations)}${unannotated}. The user may be asked to approve the call; declined, it rejects with a ToolError.`;
}

/** PascalCase type name from identifiers (`fs`, `readTextFile` → `FsReadTextFile`). */
function pascal(...ids: string[]): string {
  const name = ids.map((id) => capitalize(id.replace(/^_+/, ''))).join('');
  return /^\p{ID_Start}/u.test(name) ? name : `_${name}`;
}
