import type { ApiBinding } from '../codegen/identifiers';

const mcpWord = /\bmcp\b/g;
const identifier = /[\p{ID_Start}_$][\p{ID_Continue}$]*/uy;
const spaces = /\s*/y;

/**
 * The tools a script names, as `server.tool` with the exact names, in order of first mention (for the confirmation):
 * `mcp.<server>.<tool>` and `mcp.call('<server>', '<tool>'` with string literals on one line.
 *
 * A scanner rather than one regular expression: a regex's lazy `(.*?)` retried from every `mcp` made this quadratic
 * (seconds on a long hostile line). Each step here reads forward only, and a string literal ends at its first closing
 * quote, so the scans of different mentions cover disjoint stretches of the code: linear time.
 */
export function toolsNamedIn(code: string, bindings: readonly ApiBinding[]): string[] {
  const byIdentifiers = new Map<string, string>(
    bindings.flatMap((b) => ('toolId' in b ? [[`${b.serverId}.${b.toolId}`, `${b.server}.${b.tool}`] as [string, string]] : [])),
  );
  const named = new Set<string>();
  let resumeAt = 0;
  for (const mention of code.matchAll(mcpWord)) {
    if (mention.index < resumeAt) {
      continue;
    }
    const found = readMention(code, mention.index + 3);
    if (found) {
      named.add(found.call ? found.name : (byIdentifiers.get(found.name) ?? found.name));
      resumeAt = found.end;
    }
  }
  return [...named];
}

/**
 * How many places call tools by names the scan cannot read: `mcp.call(` whose names are not two string literals,
 * and `mcp[…]`. (An alias of `mcp` is not seen either; every call still goes through the approval at run time.)
 */
export function computedCallsIn(code: string): number {
  let count = 0;
  for (const mention of code.matchAll(mcpWord)) {
    const after = skipSpaces(code, mention.index + 3);
    if (code[after] === '[') {
      count++;
      continue;
    }
    const dot = expect(code, after, '.');
    const name = dot === undefined ? undefined : readIdentifier(code, skipSpaces(code, dot));
    if (name?.text === 'call' && expect(code, skipSpaces(code, name.end), '(') !== undefined && !readMention(code, mention.index + 3)) {
      count++;
    }
  }
  return count;
}

/** After `mcp`: `.server.tool` (as identifiers) or `.call('server', 'tool'` (exact names), with where it ends. */
function readMention(code: string, start: number): { name: string; call: boolean; end: number } | undefined {
  let at = expect(code, skipSpaces(code, start), '.');
  const server = at === undefined ? undefined : readIdentifier(code, skipSpaces(code, at));
  if (at === undefined || !server) {
    return undefined;
  }
  at = skipSpaces(code, server.end);
  const dot = expect(code, at, '.');
  if (dot !== undefined) {
    const tool = readIdentifier(code, skipSpaces(code, dot));
    return tool && { name: `${server.text}.${tool.text}`, call: false, end: tool.end };
  }
  const open = server.text === 'call' ? expect(code, at, '(') : undefined;
  const first = open === undefined ? undefined : readLiteral(code, skipSpaces(code, open));
  const comma = first && expect(code, skipSpaces(code, first.end), ',');
  const second = comma === undefined ? undefined : readLiteral(code, skipSpaces(code, comma));
  return first && second && { name: `${first.text}.${second.text}`, call: true, end: second.end };
}

function skipSpaces(code: string, at: number): number {
  spaces.lastIndex = at;
  spaces.exec(code);
  return spaces.lastIndex;
}

function expect(code: string, at: number, character: string): number | undefined {
  return code[at] === character ? at + 1 : undefined;
}

function readIdentifier(code: string, at: number): { text: string; end: number } | undefined {
  identifier.lastIndex = at;
  const match = identifier.exec(code);
  return match ? { text: match[0], end: identifier.lastIndex } : undefined;
}

/** A '…', "…" or `…` literal ending at its first closing quote on the same line (escapes are not read). */
function readLiteral(code: string, at: number): { text: string; end: number } | undefined {
  const quote = code[at];
  if (quote !== "'" && quote !== '"' && quote !== '`') {
    return undefined;
  }
  for (let i = at + 1; i < code.length; i++) {
    if (code[i] === quote) {
      return { text: code.slice(at + 1, i), end: i + 1 };
    }
    if (code[i] === '\n') {
      return undefined;
    }
  }
  return undefined;
}
