import type { ToolBinding } from '../../codegen/identifiers';
import type { ClockPlan, SandboxLimits } from '../contract/executor';
import { preludeSource } from '../contract/prelude';

/**
 * Source of the closure that sets up a fresh isolated-vm context. `$0`, `$1`, `$2` are host References (tool call,
 * log, sleep) that stay captured here, in strict mode, out of the script's reach. It returns `run(main)`, whose
 * outcome the host copies out (a ScriptOutcome).
 */
export function isolateBootstrap(bindings: readonly ToolBinding[], limits: SandboxLimits, clock?: ClockPlan): string {
  return `'use strict';
const callRef = $0, logRef = $1, sleepRef = $2;
// isolated-vm reads these options through the prototype chain: null prototypes keep a script's
// Object.prototype pollution (e.g. a \`reference\` getter) from turning copied values into references.
const options = (fields) => Object.freeze(Object.assign(Object.create(null), fields));
const copyArguments = options({ arguments: options({ copy: true }) });
const callOptions = options({ arguments: options({ copy: true }), result: options({ promise: true, copy: true }) });
const callHost = (server, tool, argsJson) => callRef.apply(undefined, [server, tool, argsJson], callOptions);
const logHost = (level, text) => logRef.applySync(undefined, [level, text], copyArguments);
const sleepHost = (ms) => sleepRef.apply(undefined, [ms], callOptions);
// V8's stack starts with "Name: message".
const stackOf = (error) => String(error.stack || error.name + ': ' + error.message);
${preludeSource(bindings, limits, clock)}
// Not part of the language, and its memory is not counted by the isolate's limit.
delete globalThis.WebAssembly;

return async function run(main) {
  const [outcome, json] = await runScript(main);
  return { ...outcome, json };
};
`;
}
