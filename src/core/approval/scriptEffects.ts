import type { ServerTools } from '../mcp/toolInfo';
import { effectOf, type ToolEffect } from './toolAnnotations';

/** The tools a script names (`server.tool`, exact names), grouped by what the servers say they do. */
export interface ScriptEffects {
  read: string[];
  write: string[];
  destructive: string[];
  /** Named, but not a tool any server lists now (a typo, or a server not started). */
  unknown: string[];
  /** Calls whose names are computed at run time (see computedCallsIn). */
  computed: number;
}

export function scriptEffects(named: readonly string[], servers: readonly ServerTools[], computed: number): ScriptEffects {
  const effects: ScriptEffects = { read: [], write: [], destructive: [], unknown: [], computed };
  const byName = new Map<string, ToolEffect>(
    servers.flatMap((server) => server.tools.map((tool) => [`${server.server}.${tool.name}`, effectOf(tool.annotations)] as const)),
  );
  for (const name of named) {
    effects[byName.get(name) ?? 'unknown'].push(name);
  }
  return effects;
}

/**
 * The confirmation's summary, one line per group (names go in as Markdown code): what the script reads, what it may
 * change (each such call still waits for approval unless the policy allows it), what cannot be known before it runs.
 */
export function effectLines(effects: ScriptEffects, code: (name: string) => string): string[] {
  const list = (names: string[]) => names.map(code).join(', ');
  return [
    ...(effects.read.length ? [`Reads: ${list(effects.read)}`] : []),
    ...(effects.write.length ? [`Writes: ${list(effects.write)}`] : []),
    ...(effects.destructive.length ? [`May delete or overwrite: ${list(effects.destructive)}`] : []),
    ...(effects.unknown.length ? [`Not listed by any server now: ${list(effects.unknown)}`] : []),
    ...(effects.computed ? [`Calls named only at run time: ${effects.computed} (\`mcp.call\` with computed names, or \`mcp[…]\`)`] : []),
    ...(effects.read.length + effects.write.length + effects.destructive.length + effects.unknown.length + effects.computed === 0
      ? ['Calls no tool by name.']
      : []),
  ];
}
