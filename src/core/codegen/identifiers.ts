import type { ServerTools } from '../mcp/toolInfo';

// Words are runs of identifier characters; connector punctuation (`_`, `‿`, …) and everything else separates them.

/** The members of lib.es5's `interface Object`, which every object type in TypeScript has. */
export const objectInterfaceMembers = [
  'constructor',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
];

const SEPARATOR = /[^\p{ID_Continue}]|\p{Pc}/u;
// Case boundaries inside a word: `getUser` → get|User, `sha256Hash` → sha256|Hash, `HTTPServer` → HTTP|Server.
const CASE_BOUNDARY = /(?<=[\p{Ll}\p{Nd}])(?=[\p{Lu}\p{Lt}])|(?<=[\p{Lu}\p{Lt}])(?=[\p{Lu}\p{Lt}][\p{Ll}])/u;
const NOT_ID_CONTINUE = /[^\p{ID_Continue}]/gu;
const ID_START = /^\p{ID_Start}/u;

// Names a script cannot bind or that would break an object's behaviour: they get a `_` prefix.
const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'await',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'undefined',
  'NaN',
  'Infinity',
  'eval',
  'arguments',
  // Members of Object.prototype, listed rather than read at run time so the output never depends on the host.
  ...objectInterfaceMembers,
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** camelCase identifier for an MCP name (ARCHITECTURE §3.2); '' when the name has no letters or digits. */
export function toIdentifier(name: string): string {
  const words = String(name)
    .normalize('NFC')
    .split(SEPARATOR)
    .flatMap((part) => part.split(CASE_BOUNDARY));
  const joined = words
    .filter((word) => word !== '')
    .map((word, i) => (i === 0 ? word.toLowerCase() : capitalize(word.toLowerCase())))
    .join('')
    // Case mapping can yield characters that no longer continue an identifier (rare: ŉ → ʼN).
    .replace(NOT_ID_CONTINUE, '');
  if (joined === '') {
    return '';
  }
  return ID_START.test(joined) && !RESERVED.has(joined) ? joined : `_${joined}`;
}

/** Upper-cases the first code point (not UTF-16 unit, so astral letters survive). */
export function capitalize(word: string): string {
  const first = String.fromCodePoint(word.codePointAt(0) ?? 0);
  return word === '' ? '' : first.toUpperCase() + word.slice(first.length);
}

/**
 * Makes `bases` unique: the first of equal names keeps it, later ones get 2, 3, … appended, skipping any name
 * already used (bare names are claimed first, so a suffix never steals a later entry's own name).
 */
export function uniqueNames(bases: readonly string[], taken: Set<string> = new Set()): string[] {
  const result = bases.map((base) => (taken.has(base) ? undefined : (taken.add(base), base)));
  return result.map((name, i) => {
    if (name !== undefined) {
      return name;
    }
    const base = bases[i];
    let n = 2;
    while (taken.has(`${base}${n}`)) {
      n++;
    }
    taken.add(`${base}${n}`);
    return `${base}${n}`;
  });
}

/** One tool as a script sees it: `mcp[serverId][toolId]`, and the exact names the hub needs. */
export interface ToolBinding {
  server: string;
  tool: string;
  serverId: string;
  toolId: string;
}

/** A configured server this run cannot reach: `mcp[serverId].anything()` rejects with a ToolError giving the reason. */
export interface UnavailableServerBinding {
  server: string;
  serverId: string;
  unavailable: string;
}

export type ApiBinding = ToolBinding | UnavailableServerBinding;

/** Server ids in list order; `call` is taken by `mcp.call`. */
function serverIds(servers: readonly string[]): string[] {
  return uniqueNames(
    servers.map((name, i) => {
      const id = toIdentifier(name) || `server${i + 1}`;
      return id === 'call' ? '_call' : id;
    }),
  );
}

/**
 * Bindings for every tool of every server, in list order; same input, same names. Servers that failed come after
 * the others (so they never change an available server's id) and are bound as a whole, with the reason.
 */
export function bindApi(servers: readonly ServerTools[]): ToolBinding[];
export function bindApi(servers: readonly ServerTools[], unavailable: ReadonlyArray<{ server: string; message: string }>): ApiBinding[];
export function bindApi(
  servers: readonly ServerTools[],
  unavailable: ReadonlyArray<{ server: string; message: string }> = [],
): ApiBinding[] {
  const ids = serverIds([...servers.map((s) => s.server), ...unavailable.map((u) => u.server)]);
  const tools = servers.flatMap((s, i) => {
    const toolIds = uniqueNames(s.tools.map((t, j) => toIdentifier(t.name) || `tool${j + 1}`));
    return s.tools.map((t, j) => ({ server: s.server, tool: t.name, serverId: ids[i], toolId: toolIds[j] }));
  });
  const stubs = unavailable.map((u, i) => ({ server: u.server, serverId: ids[servers.length + i], unavailable: u.message }));
  return [...tools, ...stubs];
}
