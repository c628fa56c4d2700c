import type { ApiBinding } from '../codegen/identifiers';

/** The tools a script names, as `server.tool` with the exact names, in order of first mention (for the confirmation). */
export function toolsNamedIn(code: string, bindings: readonly ApiBinding[]): string[] {
  const named = new Set<string>();
  for (const match of code.matchAll(
    /\bmcp\s*\.\s*([\p{ID_Start}_$][\p{ID_Continue}$]*)\s*\.\s*([\p{ID_Start}_$][\p{ID_Continue}$]*)|\bmcp\s*\.\s*call\s*\(\s*(['"`])(.*?)\3\s*,\s*(['"`])(.*?)\5/gu,
  )) {
    if (match[1] !== undefined) {
      const binding = bindings.find((b) => b.serverId === match[1] && 'toolId' in b && b.toolId === match[2]);
      named.add(binding && 'tool' in binding ? `${binding.server}.${binding.tool}` : `${match[1]}.${match[2]}`);
    } else {
      named.add(`${match[4]}.${match[6]}`);
    }
  }
  return [...named];
}
