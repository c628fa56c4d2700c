import type { ToolBinding } from '../../codegen/identifiers';
import type { ClockPlan, ClockRecording, SandboxLimits } from './executor';
import type { ScriptOutcome } from './outcome';
import type { ToolReply } from './wire';

/** What each backend's setup code hands the prelude, in the same strict-mode closure, out of the script's reach. */
export interface PreludeHost {
  /** Sends a tool call; resolves to the reply's JSON (a ToolReply). */
  callHost(server: string, tool: string, argsJson: string): Promise<string>;
  logHost(level: string, text: string): void;
  sleepHost(ms: number): Promise<unknown>;
  /** `Name: message` plus the stack frames, in V8's shape. */
  stackOf(error: Error): string;
}

/** Awaits the script and resolves to its outcome and, on success, its result's JSON. */
export type RunScript = (main: () => Promise<unknown>) => Promise<[ScriptOutcome, string?]>;

/**
 * The sandbox's own globals — `mcp`, `console` and the timers with their caps — and `runScript`. This function runs
 * INSIDE the sandbox, in both backends: it is sent as source text (see preludeSource), so it must not use anything
 * from outside its own body but its parameters and the language's built-ins.
 */
function installPrelude(host: PreludeHost, bindings: readonly ToolBinding[], limits: SandboxLimits, clock?: ClockPlan): RunScript {
  const { callHost, logHost, sleepHost, stackOf } = host;
  const { maxLogEntries, maxLogChars, maxResultChars } = limits;
  const maxTimers = 10000;
  // Taken before the script runs: it may replace them.
  const stringify = JSON.stringify,
    parse = JSON.parse;
  let logEntries = 0,
    logChars = 0,
    droppedLogs = 0;

  function format(value: unknown): string {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return stackOf(value);
    if (typeof value === 'function') return '[Function ' + (value.name || 'anonymous') + ']';
    if (value === undefined || typeof value === 'symbol' || typeof value === 'bigint') return String(value);
    try {
      const json = stringify(value);
      return json === undefined ? String(value) : json;
    } catch {
      return String(value);
    }
  }

  function emit(level: string, args: unknown[]): void {
    if (logEntries >= maxLogEntries || logChars >= maxLogChars) {
      droppedLogs++;
      return;
    }
    let text = args.map(format).join(' ');
    const room = maxLogChars - logChars;
    if (text.length > room) text = text.slice(0, room) + '… [truncated]';
    logEntries++;
    logChars += text.length;
    logHost(level, text);
  }

  const console: Record<string, (...args: unknown[]) => void> = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    // A named function per level, as the real console's are.
    console[level] = {
      [level](...args: unknown[]) {
        emit(level, args);
      },
    }[level];
  }

  function callTool(server: string, tool: string, args: unknown): Promise<unknown> {
    if (args === undefined || args === null) args = {};
    if (typeof args !== 'object' || Array.isArray(args)) {
      return Promise.reject(new TypeError('Arguments for ' + server + '.' + tool + ' must be an object'));
    }
    let argsJson: string;
    try {
      argsJson = stringify(args);
    } catch (error) {
      return Promise.reject(
        new TypeError('Arguments for ' + server + '.' + tool + ' cannot be turned into JSON: ' + (error as Error).message),
      );
    }
    return callHost(String(server), String(tool), argsJson).then((replyJson) => {
      const reply = parse(replyJson) as ToolReply;
      if (reply.error) {
        const error = new Error(reply.error.message) as Error & { server?: string; tool?: string };
        error.name = reply.error.name;
        if (reply.error.server !== undefined) {
          error.server = reply.error.server;
          error.tool = reply.error.tool;
        }
        throw error;
      }
      return reply.value;
    });
  }

  const mcp: Record<string, unknown> & { call(server: string, tool: string, args?: unknown): Promise<unknown> } = {
    call(server, tool, args) {
      return callTool(server, tool, args);
    },
  };
  for (const binding of bindings) {
    const server = (mcp[binding.serverId] ??= {}) as Record<string, unknown>;
    server[binding.toolId] = {
      [binding.toolId](args: unknown) {
        return callTool(binding.server, binding.tool, args);
      },
    }[binding.toolId];
  }

  let nextTimer = 1;
  const liveTimers = new Set<number>();
  function setTimeout(callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): number {
    if (typeof callback !== 'function') throw new TypeError('setTimeout needs a function');
    if (liveTimers.size >= maxTimers) throw new RangeError('Too many pending timers (limit ' + maxTimers + ')');
    const id = nextTimer++;
    liveTimers.add(id);
    void sleepHost(Math.max(0, Number(ms) || 0)).then(() => {
      if (!liveTimers.delete(id)) return;
      try {
        callback(...args);
      } catch (error) {
        emit('error', ['Uncaught error in a setTimeout callback:', error]);
      }
    });
    return id;
  }
  function clearTimeout(id: number): void {
    liveTimers.delete(id);
  }

  Object.defineProperties(globalThis, {
    mcp: { value: mcp, writable: true, configurable: true },
    console: { value: console, writable: true, configurable: true },
    setTimeout: { value: setTimeout, writable: true, configurable: true },
    clearTimeout: { value: clearTimeout, writable: true, configurable: true },
  });

  // --- Recorded clock (runs: record and replay) -------------------------------------------------------------------
  // Date.now, `new Date()` and Math.random are drawn here, in the sandbox, kept in order and reported with the
  // outcome; a replay hands the recorded values back in the same order (fresh ones once they run out).
  const clockValues = clock ? installClock(clock) : undefined;
  function installClock(plan: ClockPlan): ClockRecording {
    const maxValues = 10000;
    const RealDate = Date,
      realNow = Date.now,
      realRandom = Math.random,
      construct = Reflect.construct;
    const kept: ClockRecording = { now: [], random: [], complete: true };
    const replayed = plan.replay ?? { now: [], random: [], complete: true };
    let nowAt = 0,
      randomAt = 0;
    function keep(values: number[], value: number): number {
      if (values.length < maxValues) values[values.length] = value;
      else kept.complete = false;
      return value;
    }
    function now(): number {
      return keep(kept.now, nowAt < replayed.now.length ? replayed.now[nowAt++] : realNow());
    }
    function random(): number {
      return keep(kept.random, randomAt < replayed.random.length ? replayed.random[randomAt++] : realRandom());
    }
    const ClockDate = new Proxy(RealDate, {
      construct: (target, args, newTarget) => construct(target, args.length === 0 ? [now()] : args, newTarget),
      // Date() called without new: the current time as a string.
      apply: () => new RealDate(now()).toString(),
    });
    Object.defineProperty(RealDate, 'now', { value: now, writable: true, configurable: true });
    Object.defineProperty(Math, 'random', { value: random, writable: true, configurable: true });
    Object.defineProperty(globalThis, 'Date', { value: ClockDate, writable: true, configurable: true });
    Object.defineProperty(RealDate.prototype, 'constructor', { value: ClockDate, writable: true, configurable: true });
    return kept;
  }
  // --- end of recorded clock ---------------------------------------------------------------------------------------

  function describe(error: unknown): { name: string; message: string; stack?: string } {
    try {
      if (error instanceof Error) return { name: String(error.name), message: String(error.message), stack: stackOf(error) };
      return { name: 'Error', message: 'The script threw a value that is not an Error: ' + format(error) };
    } catch {
      return { name: 'Error', message: 'The script threw a value that cannot be described' };
    }
  }

  return async function runScript(main) {
    let value: unknown;
    try {
      value = await main();
    } catch (error) {
      return [{ ok: false, error: describe(error), droppedLogs, clock: clockValues }];
    }
    let json: string | undefined;
    try {
      json = stringify(value);
    } catch (error) {
      return [
        {
          ok: false,
          result: true,
          error: { name: 'TypeError', message: 'The result cannot be turned into JSON: ' + (error as Error).message },
          droppedLogs,
          clock: clockValues,
        },
      ];
    }
    if (json !== undefined && json.length > maxResultChars) {
      const message =
        'The result is too large: ' + json.length + ' characters of JSON (limit ' + maxResultChars + '); return a summary instead';
      return [{ ok: false, result: true, error: { name: 'RangeError', message }, droppedLogs, clock: clockValues }];
    }
    return [{ ok: true, droppedLogs, clock: clockValues }, json];
  };
}

/**
 * Source text of a statement that installs the prelude and defines `runScript`, for a backend's setup code that has
 * `callHost`, `logHost`, `sleepHost` and `stackOf` in scope.
 */
export function preludeSource(bindings: readonly ToolBinding[], limits: SandboxLimits, clock?: ClockPlan): string {
  const host = '{ callHost, logHost, sleepHost, stackOf }';
  // tsx (the test runner) compiles with esbuild's keepNames, which calls a `__name` helper of the module: the source
  // gets a harmless one of its own.
  const prelude = `((__name) => ${installPrelude.toString()})((fn) => fn)`;
  return `const runScript = ${prelude}(${host}, ${JSON.stringify(bindings)}, ${JSON.stringify(limits)}, ${JSON.stringify(clock ?? null)});`;
}
