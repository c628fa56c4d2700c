import type * as TypeScript from 'typescript';
import type { TypeScriptModule } from './loadTypeScript';

/** The innermost node that spans [start, start + length): the node a diagnostic is about. */
export function nodeAt(ts: TypeScriptModule, file: TypeScript.SourceFile, start: number, length: number): TypeScript.Node | undefined {
  const end = start + Math.max(length, 0);
  let found: TypeScript.Node | undefined;
  const visit = (node: TypeScript.Node): void => {
    if (node.getStart(file) <= start && end <= node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(file, visit);
  return found;
}
