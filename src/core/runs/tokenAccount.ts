import type { RunTokens } from './runRecord';
import type { TokenCounter } from './tokenCounter';

/** Chat framing of one message (role and separators), as the benchmark counts it (bench/tokens.ts). */
export const messageOverhead = 4;

/** The texts a run's token account is made of. */
export interface TokenInputs {
  /** Per call: what the model writes to make it, and the result it reads. */
  calls: Array<{ call: string; result: string }>;
  /** The `codemode_run` call the model wrote. */
  script: string;
  /** The report it read. */
  report: string;
}

/**
 * Traditional calling: each call is two messages (the call, its result), each read once. Code Mode: the script call
 * and the report. It leaves out what both pay alike and what traditional calling pays again on each later round
 * (the context re-read), so `saved` is a floor.
 */
export async function accountTokens(inputs: TokenInputs, counter: TokenCounter): Promise<RunTokens> {
  const texts = [inputs.script, inputs.report, ...inputs.calls.flatMap(({ call, result }) => [call, result])];
  const [script, report, ...calls] = await counter.count(texts);
  const traditional = calls.reduce((sum, count) => sum + count + messageOverhead, 0);
  const written = script + messageOverhead;
  const received = report + messageOverhead;
  return { traditional, script: written, received, saved: traditional - written - received };
}
