import type { TranspileResult } from './transpile';
import type { UntrustedWork } from './untrustedWork';

/**
 * The script transpiled in the worker; one that takes too long (sucrase can backtrack exponentially) fails the run,
 * as a SyntaxError when it used up the worker's budget, as the run's timeout when the run's time ran out first.
 */
export async function transpileWithin(work: UntrustedWork, source: string, deadline: number): Promise<TranspileResult> {
  const outcome = await work.transpile(source, deadline);
  if (outcome.done) {
    return outcome.value;
  }
  if (outcome.reason === 'deadline') {
    return {
      ok: false,
      error: { kind: 'timeout', name: 'TimeoutError', message: `The run's time ran out while transpiling (${outcome.message})` },
    };
  }
  const message =
    outcome.reason === 'budget'
      ? `The script could not be transpiled in time (${outcome.message}): simplify its syntax, e.g. nested arrow functions inside ternaries`
      : `The script could not be transpiled: ${outcome.message}`;
  return { ok: false, error: { kind: 'syntax', name: 'SyntaxError', message } };
}
