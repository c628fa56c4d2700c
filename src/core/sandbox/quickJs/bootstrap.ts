import type { ToolBinding } from '../../codegen/identifiers';
import type { ClockPlan, SandboxLimits } from '../contract/executor';
import { preludeSource } from '../contract/prelude';

/**
 * Source of the function that sets up a fresh QuickJS context with the sandbox prelude (as isolateBootstrap.ts does
 * for isolated-vm). It takes the host functions (tool call, log, sleep, done), keeps them in its closure, out of reach
 * of the script, and returns `start(main)`, which awaits the script and hands the outcome to `done` as JSON (the
 * result's JSON separately, not re-escaped).
 *
 * QuickJS stacks list frames only (`at name (file:line:col)`); `stackOf` gives them V8's shape (`Name: message`
 * first) and takes back the `line1Shift` characters the executor joins onto the script's line 1.
 */
export function quickJsBootstrap(bindings: readonly ToolBinding[], limits: SandboxLimits, line1Shift: number, clock?: ClockPlan): string {
  return `(function (callHost, logHost, sleepHost, doneHost) {
'use strict';
const line1Shift = ${line1Shift};
const maxFrames = 10; // V8's default Error.stackTraceLimit
const then = Promise.prototype.then, apply = Reflect.apply, stringify = JSON.stringify;

function frame(line) {
  const text = line.trim().replace(/script\\.ts:1:(\\d+)/, (_, column) => 'script.ts:1:' + Math.max(1, column - line1Shift));
  return '    ' + text.replace(/^at <anonymous> \\((.*)\\)$/, 'at $1');
}

function stackOf(error) {
  const frames = String(error.stack ?? '').split('\\n').filter((line) => line.trim() !== '').slice(0, maxFrames).map(frame);
  return [String(error.name) + ': ' + String(error.message), ...frames].join('\\n');
}
${preludeSource(bindings, limits, clock)}
// The script may replace Promise.prototype.then (or Function.prototype.call): the outcome reaches the host all the same.
return function start(main) {
  apply(then, runScript(main), [(result) => doneHost(stringify(result[0]), result[1])]);
};
})`;
}
