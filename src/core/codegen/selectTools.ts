import type { ToolBinding } from './identifiers';

export interface ToolSelection {
  /** The bindings picked, in API order. */
  picked: ToolBinding[];
  /** Names that matched nothing. */
  unknown: string[];
}

/**
 * Resolves names a model gives (`server.tool` with exact or camelCase names, or a bare server for all its tools).
 * Server names may contain dots, so every split point is tried.
 */
export function selectTools(bindings: readonly ToolBinding[], names: readonly string[]): ToolSelection {
  const picked = new Set<ToolBinding>();
  const unknown: string[] = [];
  for (const raw of names) {
    const name = raw.trim().replace(/^mcp\./, '');
    const matches = bindings.filter(
      (b) => isServer(b, name) || splits(name).some(([server, tool]) => isServer(b, server) && (b.tool === tool || b.toolId === tool)),
    );
    if (matches.length === 0) {
      unknown.push(raw);
    }
    matches.forEach((binding) => picked.add(binding));
  }
  return { picked: bindings.filter((binding) => picked.has(binding)), unknown };
}

function isServer(binding: ToolBinding, name: string): boolean {
  return binding.server === name || binding.serverId === name;
}

function splits(name: string): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let index = name.indexOf('.'); index !== -1; index = name.indexOf('.', index + 1)) {
    result.push([name.slice(0, index), name.slice(index + 1)]);
  }
  return result;
}
