import type { ApiBinding } from '../../codegen/identifiers';
import type { ClockPlan, SandboxLimits } from '../contract/executor';
import { preludeSource } from '../contract/prelude';

/**
 * Source of the closure that sets up a fresh isolated-vm context. `$0`..`$3` are host References (tool call, log,
 * wake-up, done) that stay captured here, in strict mode, out of the script's reach. It returns `run(main)`, which
 * starts the script and settles when the outcome has gone to the host through `done`.
 */
export function isolateBootstrap(bindings: readonly ApiBinding[], limits: SandboxLimits, clock?: ClockPlan): string {
  return `'use strict';
const callRef = $0, logRef = $1, wakeRef = $2, doneRef = $3;
const applyReference = callRef.apply, applyReferenceIgnored = callRef.applyIgnored, applyReferenceSync = callRef.applySync;
const apply = Reflect.apply;
const toText = String, PromiseClass = Promise;
// isolated-vm reads these options through the prototype chain: null prototypes keep a script's
// Object.prototype pollution (e.g. a \`reference\` getter) from turning copied values into references.
const options = (fields) => Object.freeze(Object.assign(Object.create(null), fields));
const copyArguments = options({ arguments: options({ copy: true }) });
const callOptions = options({ arguments: options({ copy: true }), result: options({ promise: true, copy: true }) });
const callHost = (server, tool, argsJson) => apply(applyReference, callRef, [undefined, [server, tool, argsJson], callOptions]);
// Synchronous: a line written just before the script returns must reach the host before the outcome does.
const logHost = (level, text) => apply(applyReferenceSync, logRef, [undefined, [level, text], copyArguments]);
const wakeHost = (ms) => apply(applyReference, wakeRef, [undefined, [ms], callOptions]);
let settle;
const doneHost = (outcomeJson, resultJson) => {
  apply(applyReferenceIgnored, doneRef, [undefined, [outcomeJson, resultJson], copyArguments]);
  settle();
};
// V8's stack starts with "Name: message".
const stackOf = (error) => toText(error.stack || error.name + ': ' + error.message);
${preludeSource(bindings, limits, clock)}
// Not part of the language, and its memory is not counted by the isolate's limit.
delete globalThis.WebAssembly;

return function run(main) {
  const settled = new PromiseClass((resolve) => (settle = resolve));
  runScript(main);
  return settled;
};
`;
}
