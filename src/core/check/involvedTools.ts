import type * as TypeScript from 'typescript';
import { generateDts } from '../codegen/dts';
import { bindApi, toIdentifier, type ToolBinding } from '../codegen/identifiers';
import type { ServerTools } from '../mcp/toolInfo';
import type { Unavailable } from './checkDiagnostic';
import type { TypeScriptModule } from './loadTypeScript';

/** Tool names listed for a server the script named a tool of that it does not have. */
const maxListedTools = 60;

/**
 * What a model needs to fix the blocked lines without asking for the API again: the declarations of the tools those
 * lines call (also under a name in the wrong case), and the names on offer where a server or tool does not exist.
 */
export function involvedToolsText(
  ts: TypeScriptModule,
  checker: TypeScript.TypeChecker,
  script: TypeScript.SourceFile,
  blockedLines: ReadonlySet<number>,
  servers: readonly ServerTools[],
  unavailable: readonly Unavailable[],
): string {
  const lines = withDeclarationLines(ts, checker, script, blockedLines);
  const bindings = bindApi(servers);
  const picked = new Set<ToolBinding>();
  const notes: string[] = [];
  const visit = (node: TypeScript.Node): void => {
    const line = script.getLineAndCharacterOfPosition(node.getStart(script)).line;
    const reference = lines.has(line) ? toolReference(ts, node) : undefined;
    if (reference) {
      resolve(reference, bindings, unavailable, picked, notes);
    }
    ts.forEachChild(node, visit);
  };
  visit(script);
  const declarations = picked.size ? generateDts(servers, { only: picked }) : '';
  return [...new Set(notes), ...(declarations ? [`Declarations of the tools involved:\n${declarations.trimEnd()}`] : [])].join('\n');
}

/**
 * The blocked lines and the lines that declare the names used on them: `graph.entities` on a blocked line is about
 * the tool called where `graph` was declared (a missing await).
 */
function withDeclarationLines(
  ts: TypeScriptModule,
  checker: TypeScript.TypeChecker,
  script: TypeScript.SourceFile,
  blocked: ReadonlySet<number>,
): Set<number> {
  const lines = new Set(blocked);
  const visit = (node: TypeScript.Node): void => {
    if (ts.isIdentifier(node) && blocked.has(script.getLineAndCharacterOfPosition(node.getStart(script)).line)) {
      for (const declaration of checker.getSymbolAtLocation(node)?.getDeclarations() ?? []) {
        if (declaration.getSourceFile() === script) {
          lines.add(script.getLineAndCharacterOfPosition(declaration.getStart(script)).line);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(script);
  return lines;
}

/** `mcp.<server>.<tool>` or `mcp.call('<server>', '<tool>')`. */
function toolReference(ts: TypeScriptModule, node: TypeScript.Node): { server: string; tool: string } | undefined {
  if (ts.isPropertyAccessExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const inner = node.expression;
    if (ts.isIdentifier(inner.expression) && inner.expression.text === 'mcp') {
      return { server: inner.name.text, tool: node.name.text };
    }
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)) {
    const [server, tool] = node.arguments;
    if (
      node.expression.expression.text === 'mcp' &&
      node.expression.name.text === 'call' &&
      server &&
      tool &&
      ts.isStringLiteralLike(server) &&
      ts.isStringLiteralLike(tool)
    ) {
      return { server: server.text, tool: tool.text };
    }
  }
  return undefined;
}

function resolve(
  reference: { server: string; tool: string },
  bindings: readonly ToolBinding[],
  unavailable: readonly Unavailable[],
  picked: Set<ToolBinding>,
  notes: string[],
): void {
  const server = reference.server.toLowerCase();
  const ofServer = bindings.filter((b) => b.serverId.toLowerCase() === server || b.server.toLowerCase() === server);
  const down = unavailable.find((entry) => entry.server.toLowerCase() === server || toIdentifier(entry.server).toLowerCase() === server);
  if (ofServer.length === 0 && down) {
    notes.push(`Server "${down.server}" is configured but unavailable, so this run's API leaves it out: ${down.message}`);
    return;
  }
  if (ofServer.length === 0) {
    const ids = [...new Set(bindings.map((b) => `mcp.${b.serverId}`))];
    notes.push(`There is no server "${reference.server}"; the servers are: ${ids.join(', ') || 'none'}.`);
    return;
  }
  const tool = reference.tool.toLowerCase();
  const matches = ofServer.filter((b) => b.toolId.toLowerCase() === tool || b.tool.toLowerCase() === tool);
  if (matches.length === 0) {
    const names = ofServer.map((b) => b.toolId);
    const listed =
      names.slice(0, maxListedTools).join(', ') + (names.length > maxListedTools ? `, … (${names.length - maxListedTools} more)` : '');
    notes.push(`mcp.${ofServer[0].serverId} has no tool "${reference.tool}"; its tools are: ${listed}.`);
  }
  matches.forEach((binding) => picked.add(binding));
}
