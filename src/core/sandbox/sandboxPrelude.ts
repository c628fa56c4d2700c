import type { ToolBinding } from '../codegen/identifiers';
import type { SandboxLimits } from './executor';

/**
 * In-sandbox source shared by both backends: `mcp`, `console` and the timers with their caps, and `runScript(main)`,
 * which awaits the script and resolves to `[outcome, json]` (see ScriptOutcome). The backend's wrapper defines, in the
 * same strict-mode closure and out of the script's reach: `callHost(server, tool, argsJson)` → Promise of the reply's
 * JSON, `logHost(level, text)`, `sleepHost(ms)` → Promise, and `stackOf(error)` → `Name: message` plus frames.
 */
export function sandboxPrelude(bindings: readonly ToolBinding[], limits: SandboxLimits): string {
  return `
const bindings = ${JSON.stringify(bindings)};
const maxLogEntries = ${limits.maxLogEntries}, maxLogChars = ${limits.maxLogChars}, maxResultChars = ${limits.maxResultChars};
const maxTimers = 10000;
// Taken before the script runs: it may replace them.
const stringify = JSON.stringify, parse = JSON.parse;
let logEntries = 0, logChars = 0, droppedLogs = 0;

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

async function runScript(main) {
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
`;
}
