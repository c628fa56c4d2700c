import type { ServerTools } from '../mcp/toolInfo';
import { bindApi } from './identifiers';

const maxPurposeChars = 100;

/**
 * A compact index of the API for a model: one line per tool with its `mcp.<server>.<tool>` name and purpose.
 * The full signatures come from generateDts, for the tools the model picks.
 */
export function apiIndex(servers: readonly ServerTools[], unavailable: ReadonlyArray<{ server: string; message: string }> = []): string {
  const bindings = bindApi(servers);
  const lines: string[] = [];
  let next = 0;
  for (const server of servers) {
    const tools = server.tools.map((tool) => ({ tool, binding: bindings[next++] }));
    lines.push(`Server "${server.server}" (${tools.length} tool${tools.length === 1 ? '' : 's'}):`);
    for (const { tool, binding } of tools) {
      const purpose = purposeOf(tool.title, tool.description);
      lines.push(`  mcp.${binding.serverId}.${binding.toolId}${binding.toolId === binding.tool ? '' : ` ("${binding.tool}")`}${purpose ? ` — ${purpose}` : ''}`);
    }
  }
  for (const { server, message } of unavailable) {
    lines.push(`Server "${server}" is unavailable: ${message}`);
  }
  return lines.length ? lines.join('\n') : 'No MCP servers are configured.';
}

/** The first sentence of the description (or the title), on one line, cut to a readable length. */
function purposeOf(title: string | undefined, description: string | undefined): string {
  const text = (description ?? title ?? '').replace(/\s+/g, ' ').trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.length > maxPurposeChars ? `${sentence.slice(0, maxPurposeChars - 1)}…` : sentence;
}
