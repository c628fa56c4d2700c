import { apiIndex } from '../codegen/apiIndex';
import { bindApi } from '../codegen/identifiers';
import type { ToolListing } from '../mcp/hub';

/**
 * Characters of API index a `run` description may carry. Past this (a catalog of about 60 tools) the description
 * lists each tool's call with its argument names only, and the `api` tool gives signatures.
 */
export const maxIndexChars = 12_000;

const runIntro = (servers: string) =>
  `Code Mode: run one TypeScript script that calls the MCP tools of ${servers} through a typed API, in a sandbox without file, network or process access. ` +
  'Prefer it to calling MCP tools one by one whenever a task takes several calls, loops, filtering or aggregation: results stay in the sandbox and only what the script returns comes back. ' +
  'The script is the body of an async function: use top-level await and `return` a compact summary (serialised to JSON and cut to a budget). ' +
  "Call `await mcp.<server>.<tool>(args)` (camelCase, as listed below) or `await mcp.call('server', 'exact_tool', args)`; run independent calls with Promise.all. " +
  "A failed call throws an Error named 'ToolError' with `server` and `tool`. console.* output comes back with the result; there is no require, import, process or fetch. " +
  'On failure you get the error, its line and the console output: fix the script and run it again.';

/** The `run` tool's description: how to write a script, and the API of every configured server. */
export function runDescription(listing: ToolListing): string {
  const names = listing.servers.map((server) => `"${server.server}"`);
  const servers = names.length ? `the MCP servers ${names.join(', ')}` : 'the configured MCP servers';
  return `${runIntro(servers)}\n\n${compactIndex(listing)}`;
}

/** The one-line signatures of every tool when they fit in `maxIndexChars`; else each call with its argument names. */
export function compactIndex(listing: ToolListing): string {
  const index = apiIndex(listing.servers, listing.failures);
  if (index.length <= maxIndexChars) {
    return `The API (one-line TypeScript signatures; \`api\` gives full declarations when one is cut or unclear):\n${index}`;
  }
  return `The API, by argument names (call \`api\` with the tools you use for their TypeScript signatures):\n${callIndex(listing)}`;
}

export const apiDescription =
  'Code Mode: the TypeScript declarations (argument and result types, documentation) of MCP tools that `run` scripts call. ' +
  "Pass `tools` as `server.tool` names (exact or camelCase) or server names; without `tools`, the index in `run`'s description again.";

/** Every tool as `mcp.server.tool(arg, optional?)`, grouped by server: the calls without their types. */
function callIndex(listing: ToolListing): string {
  const bindings = bindApi(listing.servers);
  const lines: string[] = [];
  let next = 0;
  for (const server of listing.servers) {
    lines.push(`Server "${server.server}" (${server.tools.length} tools):`);
    for (const tool of server.tools) {
      const binding = bindings[next++];
      const properties = Object.keys((tool.inputSchema.properties as Record<string, unknown> | undefined) ?? {});
      const required = new Set(Array.isArray(tool.inputSchema.required) ? (tool.inputSchema.required as string[]) : []);
      const args = properties.map((name) => (required.has(name) ? name : `${name}?`)).join(', ');
      const exact = binding.toolId === binding.tool ? '' : ` ("${binding.tool}")`;
      lines.push(`  mcp.${binding.serverId}.${binding.toolId}(${args ? `{ ${args} }` : ''})${exact}`);
    }
  }
  for (const { server, message } of listing.failures) {
    lines.push(`Server "${server}" is unavailable: ${message}`);
  }
  return lines.join('\n');
}
