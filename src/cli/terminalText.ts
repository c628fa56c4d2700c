import { indentContinuation, inert } from '../core/safeText';

/**
 * Text from a script or a server as the CLI prints it without `--json`: control characters (ANSI and OSC escape
 * sequences, `\r`, backspace, bidi overrides) shown as escapes instead of acting on the terminal, and lines after
 * the first indented by `continuation`, so logged text cannot pass for a line of its own (a forged `[error] …`).
 * `--json` prints the exact text.
 */
export function terminalText(text: string, continuation = '  '): string {
  return continuation ? indentContinuation(inert(text), continuation) : inert(text);
}
