import type * as TypeScript from 'typescript';
import { bindApi } from '../codegen/identifiers';
import type { ServerTools } from '../mcp/toolInfo';
import type { Unavailable } from './checkDiagnostic';
import type { TypeScriptModule } from './loadTypeScript';

/** TS2345, "Argument of type … is not assignable to parameter of type …": what a wrong literal name amounts to. */
const code = 2345;

export interface NameProblem {
  start: number;
  code: number;
  message: string;
}

/**
 * `mcp.call('server', 'tool', …)` with literal names that no tool has: TypeScript accepts them (the untyped overload
 * takes any string, for names computed at run time), but the call can only reject.
 */
export function unknownCallNames(
  ts: TypeScriptModule,
  script: TypeScript.SourceFile,
  servers: readonly ServerTools[],
  unavailable: readonly Unavailable[],
): NameProblem[] {
  const bindings = bindApi(servers);
  const problems: NameProblem[] = [];
  const visit = (node: TypeScript.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'mcp' &&
      node.expression.name.text === 'call'
    ) {
      const [server, tool] = node.arguments;
      // A configured server that is not up yet is not in the API, but mcp.call reaches it once it is.
      if (server && ts.isStringLiteralLike(server) && !unavailable.some((entry) => entry.server === server.text)) {
        const ofServer = bindings.filter((b) => b.server === server.text);
        if (ofServer.length === 0) {
          const names = [...new Set(bindings.map((b) => JSON.stringify(b.server)))].join(', ') || 'none';
          problems.push({
            start: server.getStart(script),
            code,
            message: `mcp.call: there is no server ${JSON.stringify(server.text)} (the servers: ${names}).`,
          });
        } else if (tool && ts.isStringLiteralLike(tool) && !ofServer.some((b) => b.tool === tool.text)) {
          const meant = ofServer.find((b) => b.toolId === tool.text || b.tool.toLowerCase() === tool.text.toLowerCase());
          const hint = meant ? ` Its exact name is ${JSON.stringify(meant.tool)}.` : '';
          problems.push({
            start: tool.getStart(script),
            code,
            message: `mcp.call: server ${JSON.stringify(server.text)} has no tool ${JSON.stringify(tool.text)}; mcp.call takes the exact names.${hint}`,
          });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(script);
  return problems;
}
