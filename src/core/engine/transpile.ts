import { transform } from 'sucrase';
import type { ScriptError } from '../sandbox/executor';

export type TranspileResult = { ok: true; code: string } | { ok: false; error: ScriptError };

/**
 * Turns a TypeScript or JavaScript script into one async function expression, so top-level `await` and `return`
 * work. The wrapper adds exactly one line before the script (the sandbox compiles with a line offset of -1), and
 * sucrase keeps line numbers, so positions in errors are the script's own.
 */
export function transpile(source: string): TranspileResult {
  const script = source.replace(/^\uFEFF/, '');
  const wrapped = `(async function () {\n${script}\n})`;
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
