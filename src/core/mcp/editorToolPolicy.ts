import type { ServerTools } from './toolInfo';

/**
 * Which of the editor's non-MCP tools (other extensions') a script may reach: those the user's opt-in patterns name
 * (`*` and `?` wildcards, case-sensitive). A tool whose name says it runs commands or changes files is reached only
 * when a pattern names it exactly, without a wildcard: `*` never hands a script a terminal.
 */
export function extensionToolAllowed(name: string, patterns: readonly string[]): boolean {
  if (patterns.includes(name)) {
    return true;
  }
  return !mayChangeThings(name) && patterns.some((pattern) => wildcard(pattern).test(name));
}

/** Names of tools that run things or change files: terminal, edit, create, delete, run and their kin. */
const changing = /terminal|edit|create|delete|remove|run|exec|shell|command|write|install|rename|move|patch|apply|task/i;

export function mayChangeThings(name: string): boolean {
  return changing.test(name);
}

/** Tools Code Mode itself offers: a script must not reach them through the editor (a run inside a run). */
export function isCodeModeTool(name: string): boolean {
  return /^codemode_/i.test(name) || /^mcp_codemode\d*_/i.test(name);
}

function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * Whether an MCP tool the editor runs (`mcp_<server>_<tool>` in VS Code) is a tool of a server Code Mode runs itself,
 * e.g. one both read from the same mcp.json: same tool name at the end of its id, same description, same argument
 * names (VS Code passes the schema on reworked, so it is not compared whole).
 */
export function duplicatesServedTool(
  tool: { name: string; description: string; inputSchema: unknown },
  served: readonly ServerTools[],
): boolean {
  const id = tool.name.toLowerCase();
  const args = argumentNames(tool.inputSchema);
  return served.some((server) =>
    server.tools.some(
      (candidate) =>
        id.endsWith(`_${candidate.name.toLowerCase()}`) &&
        (candidate.description ?? '') === tool.description &&
        argumentNames(candidate.inputSchema) === args,
    ),
  );
}

function argumentNames(schema: unknown): string {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties).sort().join(',') : '';
}
