import type { TranspileResult } from './transpile';
import type { UntrustedWork } from './untrustedWork';

/** The script transpiled in the worker; one that takes too long (sucrase can backtrack exponentially) fails the run. */
export async function transpileWithin(work: UntrustedWork, source: string, deadline: number): Promise<TranspileResult> {
  const outcome = await work.transpile(source, deadline);
  if (outcome.done) {
    return outcome.value;
  }
  const message =
    outcome.reason === 'time'
      ? `The script could not be transpiled in time (${outcome.message}): simplify its syntax, e.g. nested arrow functions inside ternaries`
      : `The script could not be transpiled: ${outcome.message}`;
  return { ok: false, error: { kind: 'syntax', name: 'SyntaxError', message } };
}
