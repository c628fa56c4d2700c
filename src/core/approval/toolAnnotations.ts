/** The MCP tool annotations Code Mode reads: hints a server gives about what a tool does (untrusted, but only ever used to ask more). */
export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What a call may do, per the MCP spec's defaults: without `readOnlyHint: true` a tool may write, and a write is destructive unless `destructiveHint: false`. */
export type ToolEffect = 'read' | 'write' | 'destructive';

const hintNames = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/** The boolean hints of a tool's `annotations`; anything else a server sends there is dropped. */
export function readAnnotations(raw: unknown): ToolAnnotations | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const hints: ToolAnnotations = {};
  for (const name of hintNames) {
    const value = Object.hasOwn(raw, name) ? (raw as Record<string, unknown>)[name] : undefined;
    if (typeof value === 'boolean') {
      hints[name] = value;
    }
  }
  return Object.keys(hints).length ? hints : undefined;
}

export function effectOf(annotations: ToolAnnotations | undefined): ToolEffect {
  if (annotations?.readOnlyHint === true) {
    return 'read';
  }
  return annotations?.destructiveHint === false ? 'write' : 'destructive';
}

/** One short phrase for a model or a person: `reads only`, `writes (idempotent)`, `may delete or overwrite; open world`. */
export function describeEffect(annotations: ToolAnnotations | undefined): string {
  const effect = effectOf(annotations);
  const main = effect === 'read' ? 'reads only' : effect === 'write' ? 'writes' : 'may write, delete or overwrite';
  const notes = [
    ...(effect !== 'read' && annotations?.idempotentHint === true ? ['idempotent'] : []),
    ...(annotations?.openWorldHint === false ? ['closed world'] : annotations?.openWorldHint === true ? ['open world'] : []),
  ];
  return notes.length ? `${main} (${notes.join(', ')})` : main;
}
