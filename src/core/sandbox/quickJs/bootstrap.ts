import type { ApiBinding } from '../../codegen/identifiers';
import type { ClockPlan, SandboxLimits } from '../contract/executor';
import { preludeSource } from '../contract/prelude';

/**
 * Source of the function that sets up a fresh QuickJS context with the sandbox prelude (as isolateBootstrap.ts does
 * for isolated-vm). It takes the host functions (tool call, log, wake-up, done), keeps them in its closure, out of
 * reach of the script, and returns `start(main)`.
 *
 * QuickJS hands strings to the host as UTF-8 C strings: cut at NUL, lone surrogates replaced, a leading BOM dropped.
 * So every string crosses as the JSON of a string (JSON.stringify escapes NUL, control characters and lone
 * surrogates, and starts with a quote), and the host parses it back: names and text arrive exactly.
 *
 * QuickJS stacks list frames only (`at name (file:line:col)`); `stackOf` gives them V8's shape (`Name: message`
 * first) and takes back the `line1Shift` characters the executor joins onto the script's line 1.
 */
export function quickJsBootstrap(bindings: readonly ApiBinding[], limits: SandboxLimits, line1Shift: number, clock?: ClockPlan): string {
  return `(function (callHostUtf8, logHostUtf8, wakeHost, doneHostUtf8) {
'use strict';
const line1Shift = ${line1Shift};
const maxFrames = 10; // V8's default Error.stackTraceLimit
const stringify = JSON.stringify, toText = String, apply = Reflect.apply, max = Math.max;
const { split, trim, replace } = String.prototype, { filter, slice, map, join } = Array.prototype;
const exact = (text) => stringify(toText(text));
const callHost = (server, tool, argsJson) => callHostUtf8(exact(server), exact(tool), exact(argsJson));
const logHost = (level, text) => logHostUtf8(exact(level), exact(text));
const doneHost = (outcomeJson, resultJson) => doneHostUtf8(exact(outcomeJson), resultJson === undefined ? undefined : exact(resultJson));

function frame(line) {
  const text = apply(replace, apply(trim, line, []), [/script\\.ts:1:(\\d+)/, (_, column) => 'script.ts:1:' + max(1, column - line1Shift)]);
  return '    ' + apply(replace, text, [/^at <anonymous> \\((.*)\\)$/, 'at $1']);
}

// Runs on errors of the script, after it may have replaced built-ins: those are taken first (the prelude's reason).
function stackOf(error) {
  const lines = apply(split, toText(error.stack ?? ''), ['\\n']);
  const frames = apply(map, apply(slice, apply(filter, lines, [(line) => apply(trim, line, []) !== '']), [0, maxFrames]), [frame]);
  return toText(error.name) + ': ' + toText(error.message) + (frames.length ? '\\n' + apply(join, frames, ['\\n']) : '');
}
${preludeSource(bindings, limits, clock)}
return runScript;
})`;
}
