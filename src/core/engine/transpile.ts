import { transform } from 'sucrase';
import type { ScriptError } from '../sandbox/contract/executor';
import { wrapScript } from '../sandbox/contract/wire';

export type TranspileResult = { ok: true; code: string } | { ok: false; error: ScriptError };

/**
 * Turns a TypeScript or JavaScript script into one async function expression, so top-level `await` and `return`
 * work (see sandbox/contract/wire.ts). Sucrase keeps line numbers, so positions in errors are the script's own.
 */
export function transpile(source: string): TranspileResult {
  const script = source.replace(/^\uFEFF/, '');
  const wrapped = wrapScript(script);
  try {
    const { code } = transform(wrapped, { transforms: ['typescript'], disableESTransforms: true });
    return { ok: true, code };
  } catch (error: unknown) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const lineCount = script.split('\n').length;
    const line = loc ? Math.min(Math.max(loc.line - 1, 1), lineCount) : undefined;
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\(\d+:\d+\)$/, '');
    return { ok: false, error: { kind: 'syntax', name: 'SyntaxError', message, line, column: loc?.column } };
  }
}
