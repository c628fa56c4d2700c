/**
 * What crosses between the engine and a sandbox backend, spelled out once: how a script is wrapped, the file names its
 * frames carry, and the JSON a tool call is answered with.
 */

/** The file name scripts carry in stack traces and error positions. */
export const scriptFileName = 'script.ts';
/** The file name of the sandbox's own setup code in stack traces. */
export const setupFileName = 'codemode:sandbox';

/**
 * The engine runs a script as the body of an async function, so top-level `await` and `return` work. The opening is
 * one line of its own: the isolate compiles with `lineOffset: -wrapperLines`; QuickJS joins it to the script's first
 * line and shifts that line's columns back by `scriptOpening.length`.
 */
export const scriptOpening = '(async function () {';
export const wrapperLines = 1;

export function wrapScript(script: string): string {
  return `${scriptOpening}\n${script}\n})`;
}

/** `script.ts:LINE:COLUMN` in a stack frame or a V8 syntax error's `[script.ts:LINE:COLUMN]`. */
const scriptPositionPattern = /script\.ts:(\d+):(\d+)/;

/** The position of the first script frame in a stack or message. */
export function scriptPosition(text: string | undefined): { line?: number; column?: number } {
  const match = text && scriptPositionPattern.exec(text);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : {};
}

export function isScriptFrame(line: string): boolean {
  return line.includes(scriptFileName);
}

/** A V8 syntax error message without its `[script.ts:L:C]` suffix. */
export function withoutScriptPosition(message: string): string {
  return message.replace(/\s*\[script\.ts:\d+:\d+\]$/, '');
}

/** A failed tool call as the script sees it: an Error with this name and message (and `server`, `tool` when known). */
export interface ToolReplyError {
  name: string;
  message: string;
  server?: string;
  tool?: string;
}

/** The JSON a tool call is answered with (ToolCallHandler's result). */
export type ToolReply = { value: unknown; error?: undefined } | { error: ToolReplyError };

export function valueReply(value: unknown): string {
  return JSON.stringify({ value } satisfies ToolReply);
}

export function errorReply(error: ToolReplyError): string {
  return JSON.stringify({ error } satisfies ToolReply);
}
