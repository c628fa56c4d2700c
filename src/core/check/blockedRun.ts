import type { RunResult } from '../engine/engine';
import type { CheckResult } from './checkDiagnostic';

/** The result of a run the check stopped: nothing ran, no tool was called; the first problem gives the position. */
export function blockedRun(check: CheckResult, backend: string, started: number): RunResult {
  const [first] = check.diagnostics;
  return {
    ok: false,
    text: check.text,
    logs: [],
    calls: [],
    diagnostics: check.diagnostics,
    error: {
      kind: 'check',
      name: 'TypeCheckError',
      message: `${check.diagnostics.length === 1 ? 'A problem' : `${check.diagnostics.length} problems`} found before the run: ${first?.message ?? ''}`,
      line: first?.line,
      column: first?.column,
    },
    stats: {
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      backend,
      droppedLogs: 0,
      resultChars: 0,
      truncated: false,
    },
  };
}
