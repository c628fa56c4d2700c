import type { ToolBinding } from '../codegen/identifiers';
import type { SandboxLimits } from './executor';

/** The file name of this setup code in QuickJS stack traces. */
export const quickJsBootstrapFileName = 'codemode:sandbox';

/**
 * Source of the function that sets up a fresh QuickJS context: `mcp`, `console`, `setTimeout`/`clearTimeout`, as
 * isolateBootstrap.ts does for isolated-vm, with the same formatting, caps and messages. It takes the host functions
 * (tool call, log, sleep, done), keeps them in its closure, out of reach of the script, and returns `start(main)`,
 * which awaits the script and hands the outcome to `done` as JSON (the result's JSON separately, not re-escaped).
 *
 * QuickJS stacks list frames only (`at name (file:line:col)`); `stackOf` gives them V8's shape (`Name: message`
 * first) and takes back the `line1Shift` characters the executor joins onto the script's line 1.
 */
export function quickJsBootstrap(bindings: readonly ToolBinding[], limits: SandboxLimits, line1Shift: number): string {
  return `(function (callHost, logHost, sleepHost, doneHost) {
'use strict';
const bindings = ${JSON.stringify(bindings)};
const maxLogEntries = ${limits.maxLogEntries}, maxLogChars = ${limits.maxLogChars}, maxResultChars = ${limits.maxResultChars};
const line1Shift = ${line1Shift};
const maxTimers = 10000;
const maxFrames = 10; // V8's default Error.stackTraceLimit
const stringify = JSON.stringify, parse = JSON.parse, then = Promise.prototype.then, apply = Reflect.apply;
let logEntries = 0, logChars = 0, droppedLogs = 0;

function frame(line) {
  const text = line.trim().replace(/script\\.ts:1:(\\d+)/, (_, column) => 'script.ts:1:' + Math.max(1, column - line1Shift));
  return '    ' + text.replace(/^at <anonymous> \\((.*)\\)$/, 'at $1');
}

function stackOf(error) {
  const frames = String(error.stack ?? '').split('\\n').filter((line) => line.trim() !== '').slice(0, maxFrames).map(frame);
  return [String(error.name) + ': ' + String(error.message), ...frames].join('\\n');
}

function format(value) {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return stackOf(value);
  if (typeof value === 'function') return '[Function ' + (value.name || 'anonymous') + ']';
  if (value === undefined || typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  try { const json = stringify(value); return json === undefined ? String(value) : json; } catch { return String(value); }
}

function emit(level, args) {
  if (logEntries >= maxLogEntries || logChars >= maxLogChars) { droppedLogs++; return; }
  let text = args.map(format).join(' ');
  const room = maxLogChars - logChars;
  if (text.length > room) text = text.slice(0, room) + '… [truncated]';
  logEntries++;
  logChars += text.length;
  logHost(level, text);
}

const console = {};
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = { [level](...args) { emit(level, args); } }[level];
}

function callTool(server, tool, args) {
  if (args === undefined || args === null) args = {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    return Promise.reject(new TypeError('Arguments for ' + server + '.' + tool + ' must be an object'));
  }
  let argsJson;
  try { argsJson = stringify(args); } catch (error) {
    return Promise.reject(new TypeError('Arguments for ' + server + '.' + tool + ' cannot be turned into JSON: ' + error.message));
  }
  return callHost(String(server), String(tool), argsJson).then((replyJson) => {
    const reply = parse(replyJson);
    if (reply.error) {
      const error = new Error(reply.error.message);
      error.name = reply.error.name;
      if (reply.error.server !== undefined) { error.server = reply.error.server; error.tool = reply.error.tool; }
      throw error;
    }
    return reply.value;
  });
}

const mcp = { call(server, tool, args) { return callTool(server, tool, args); } };
for (const binding of bindings) {
  const server = mcp[binding.serverId] ??= {};
  server[binding.toolId] = { [binding.toolId](args) { return callTool(binding.server, binding.tool, args); } }[binding.toolId];
}

let nextTimer = 1;
const liveTimers = new Set();
function setTimeout(callback, ms, ...args) {
  if (typeof callback !== 'function') throw new TypeError('setTimeout needs a function');
  if (liveTimers.size >= maxTimers) throw new RangeError('Too many pending timers (limit ' + maxTimers + ')');
  const id = nextTimer++;
  liveTimers.add(id);
  sleepHost(Math.max(0, Number(ms) || 0)).then(() => {
    if (!liveTimers.delete(id)) return;
    try { callback(...args); } catch (error) { emit('error', ['Uncaught error in a setTimeout callback:', error]); }
  });
  return id;
}
function clearTimeout(id) { liveTimers.delete(id); }

Object.defineProperties(globalThis, {
  mcp: { value: mcp, writable: true, configurable: true },
  console: { value: console, writable: true, configurable: true },
  setTimeout: { value: setTimeout, writable: true, configurable: true },
  clearTimeout: { value: clearTimeout, writable: true, configurable: true },
});

function describe(error) {
  try {
    if (error instanceof Error) return { name: String(error.name), message: String(error.message), stack: stackOf(error) };
    return { name: 'Error', message: 'The script threw a value that is not an Error: ' + format(error) };
  } catch {
    return { name: 'Error', message: 'The script threw a value that cannot be described' };
  }
}

async function run(main) {
  let value;
  try {
    value = await main();
  } catch (error) {
    return [{ ok: false, error: describe(error), droppedLogs }];
  }
  let json;
  try {
    json = stringify(value);
  } catch (error) {
    return [{ ok: false, result: true, error: { name: 'TypeError', message: 'The result cannot be turned into JSON: ' + error.message }, droppedLogs }];
  }
  if (json !== undefined && json.length > maxResultChars) {
    return [{ ok: false, result: true, error: { name: 'RangeError', message: 'The result is too large: ' + json.length + ' characters of JSON (limit ' + maxResultChars + '); return a summary instead' }, droppedLogs }];
  }
  return [{ ok: true, droppedLogs }, json];
}

// The script may replace Promise.prototype.then (or Function.prototype.call): the outcome reaches the host all the same.
return function start(main) {
  apply(then, run(main), [(result) => doneHost(stringify(result[0]), result[1])]);
};
})`;
}
