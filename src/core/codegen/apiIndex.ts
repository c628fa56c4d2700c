import { effectOf } from '../approval/toolAnnotations';
import { hostLimits } from '../limits';
import type { JsonSchema, ServerTools, ToolInfo } from '../mcp/toolInfo';
import { clip, displayName, oneLine, quoted } from '../safeText';
import { generateDts } from './dts';
import { bindApi } from './identifiers';
import { hasDefault, schemaToType } from './schemaToType';
import { selectTools } from './selectTools';

const maxPurposeChars = 100;
/** A signature longer than this is cut: the model asks codemode_api for the full declaration instead. */
const maxTypeChars = 160;
const maxMessageChars = 300;

/**
 * What a call may change, from the server's annotations (MCP's defaults: a tool without `readOnlyHint: true` may
 * write, destructively unless `destructiveHint: false`). Reads carry no tag, so the index stays short.
 */
const effectTag = { read: '', write: ' [write]', destructive: ' [destructive]' } as const;
export const effectLegend =
  '[write] may change things, [destructive] may also delete or overwrite (untagged: reads only). The user may be asked to approve such a call; declined, it rejects with a ToolError the script can catch.';

/**
 * A compact index of the API for a model: one line per tool, with its call, a one-line TypeScript signature and its
 * purpose, often enough to write a script without asking for the full declarations (each ask is a model round trip).
 * Every string a server chose is quoted or made one inert line, so none can forge a line of the index.
 */
export function apiIndex(servers: readonly ServerTools[], unavailable: ReadonlyArray<{ server: string; message: string }> = []): string {
  const bindings = bindApi(servers);
  const lines: string[] = [];
  let next = 0;
  let tagged = false;
  for (const server of servers) {
    const tools = server.tools.map((tool) => ({ tool, binding: bindings[next++] }));
    lines.push(`Server ${quoted(server.server, hostLimits.maxNameChars)} (${tools.length} tool${tools.length === 1 ? '' : 's'}):`);
    if (server.note) {
      lines.push(`  Note: ${oneLine(server.note)}`);
    }
    for (const { tool, binding } of tools) {
      const exact = binding.toolId === binding.tool ? '' : ` (${quoted(binding.tool, hostLimits.maxNameChars)})`;
      const purpose = purposeOf(tool.title, tool.description);
      const effect = effectOf(tool.annotations);
      tagged ||= effect !== 'read';
      lines.push(
        `  mcp.${binding.serverId}.${binding.toolId}${signatureOf(tool)}${exact}${effectTag[effect]}${purpose ? ` — ${purpose}` : ''}`,
      );
    }
  }
  for (const { server, message } of unavailable) {
    lines.push(`Server ${quoted(server, hostLimits.maxNameChars)} is unavailable: ${oneLine(clip(message, maxMessageChars))}`);
  }
  return lines.length ? [...lines, ...(tagged ? [effectLegend] : [])].join('\n') : 'No MCP servers are configured.';
}

/**
 * What the codemode_api tool answers: without names the index (and how to ask for more); with names the full
 * declarations of those tools, after a note on the names that matched nothing.
 */
export function describeApi(
  servers: readonly ServerTools[],
  unavailable: ReadonlyArray<{ server: string; message: string }>,
  names: readonly string[],
): string {
  if (names.length === 0) {
    return `${apiIndex(servers, unavailable)}\n\nAsk again with \`tools\` (e.g. ["server.tool"]) for full declarations and documentation, when a signature above is cut or unclear.`;
  }
  const { picked, unknown } = selectTools(bindApi(servers), names);
  const notes = unknown.length
    ? `Unknown: ${unknown.map((name) => displayName(name, hostLimits.maxNameChars)).join(', ')}. Call this tool without arguments for the index.\n\n`
    : '';
  return notes + (picked.length ? generateDts(servers, { only: new Set(picked) }) : '');
}

/** `(args: { path: string; head?: number }): { content: string }`; no result type when the tool declares none. */
function signatureOf(tool: ToolInfo): string {
  const properties = tool.inputSchema.properties;
  const hasArgs = typeof properties === 'object' && properties !== null && Object.keys(properties).length > 0;
  // A required property with a default may be left out (the server fills it in), as in the .d.ts.
  const property = (key: string) => (hasArgs && Object.hasOwn(properties, key) ? (properties as Record<string, unknown>)[key] : undefined);
  const required =
    Array.isArray(tool.inputSchema.required) &&
    tool.inputSchema.required.some((key) => typeof key === 'string' && !hasDefault(property(key)));
  const args = hasArgs ? `args${required ? '' : '?'}: ${typeOnOneLine(tool.inputSchema, true)}` : '';
  const result = tool.outputSchema ? `: ${typeOnOneLine(tool.outputSchema, false)}` : '';
  return `(${args})${result}`;
}

function typeOnOneLine(schema: JsonSchema, defaultsOptional: boolean): string {
  const text = schemaToType(schema, { defaultsOptional })
    .replace(/\/\*\*(?:[^*]|\*(?!\/))*\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/; }/g, ' }')
    .replace(/{ ([^}]*?);? }/g, '{ $1 }');
  return text.length > maxTypeChars ? '{ … }' : oneLine(text);
}

/** The first sentence of the description (or the title), on one line, cut to a readable length. */
function purposeOf(title: string | undefined, description: string | undefined): string {
  const text = (description ?? title ?? '').replace(/\s+/g, ' ').trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  return oneLine(sentence.length > maxPurposeChars ? `${sentence.slice(0, maxPurposeChars - 1)}…` : sentence);
}
