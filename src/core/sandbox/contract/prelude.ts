import type { ApiBinding } from '../../codegen/identifiers';
import type { ClockPlan, ClockRecording, SandboxLimits } from './executor';
import type { ScriptOutcome } from './outcome';
import type { ToolReply } from './wire';

/** What each backend's setup code hands the prelude, in the same strict-mode closure, out of the script's reach. */
export interface PreludeHost {
  /** Sends a tool call; resolves to the reply's JSON (a ToolReply). */
  callHost(server: string, tool: string, argsJson: string): Promise<string>;
  logHost(level: string, text: string): void;
  /** Asks for one wake-up in `ms`, replacing the one asked before (whose promise then settles too): the host keeps one timer per run. */
  wakeHost(ms: number): Promise<unknown>;
  /** Hands over the outcome (a ScriptOutcome's JSON) and, on success, the result's JSON. Called once. */
  doneHost(outcomeJson: string, resultJson?: string): void;
  /** `Name: message` plus the stack frames, in V8's shape. */
  stackOf(error: Error): string;
}

/** Starts the script; its outcome goes to `doneHost`. */
export type RunScript = (main: () => Promise<unknown>) => void;

/** Pending timers a script may hold at once. */
export const maxTimers = 10_000;

/** Characters kept of an error's name, message and stack. */
export const maxErrorChars = 100_000;

/**
 * The sandbox's own globals — `mcp`, `console` and the timers with their caps — and `runScript`. This function runs
 * INSIDE the sandbox, in both backends: it is sent as source text (see preludeSource), so it must not use anything
 * from outside its own body but its parameters and the language's built-ins.
 *
 * The script runs after this and may replace any built-in (Array.prototype.join, Set methods, iterators,
 * Promise.prototype.then, String, JSON...): every built-in used after set-up is captured here first ("primordials"),
 * and the code avoids what looks built-ins up at run time (spread, destructuring and for-of of arrays, `await`,
 * method calls on arrays and strings, instanceof). The host checks every cap again all the same.
 */
function installPrelude(
  host: PreludeHost,
  bindings: readonly ApiBinding[],
  limits: SandboxLimits,
  timerLimit: number,
  maxErrorChars: number,
  clock: ClockPlan | null,
): RunScript {
  const { callHost, logHost, wakeHost, doneHost, stackOf } = host;
  const { maxLogEntries, maxLogChars, maxResultChars } = limits;
  const apply = Reflect.apply,
    defineProperty = Reflect.defineProperty,
    getPrototypeOf = Reflect.getPrototypeOf,
    create = Object.create,
    isArray = Array.isArray,
    hasOwn = Object.prototype.hasOwnProperty,
    stringify = JSON.stringify,
    parse = JSON.parse,
    toText = String,
    slice = String.prototype.slice,
    now = Date.now,
    DateClass = Date,
    PromiseClass = Promise,
    then = Promise.prototype.then,
    ErrorClass = Error,
    ErrorPrototype = Error.prototype,
    TypeErrorClass = TypeError,
    RangeErrorClass = RangeError;
  let logEntries = 0,
    logChars = 0,
    droppedLogs = 0;

  const currentTime = () => apply(now, DateClass, []) as number;
  const own = (object: object, key: string) => apply(hasOwn, object, [key]) as boolean;
  /** Instanceof Error without Symbol.hasInstance, which a script may define. */
  function isError(value: unknown): value is Error {
    for (let proto = value; typeof proto === 'object' && proto !== null; proto = getPrototypeOf(proto)) {
      if (proto === ErrorPrototype) return true;
    }
    return false;
  }
  /** `promise.then(onValue, onError)` that neither `then` nor `constructor`/`Symbol.species` of the script can divert. */
  function whenSettled(promise: unknown, onValue: (value: unknown) => void, onError: (error: unknown) => void): void {
    defineProperty(promise as object, 'constructor', { value: undefined });
    void apply(then, promise, [onValue, onError]);
  }
  /** A null-prototype copy of own fields: JSON.stringify then finds no `toJSON` a script put on Object.prototype. */
  function plain<T extends object>(fields: T): T {
    const copy = create(null) as Record<string, unknown>;
    for (const key in fields) {
      if (own(fields, key)) copy[key] = fields[key];
    }
    return copy as T;
  }
  function newPromise<T>(executor: (resolve: (value: T) => void, reject: (error: unknown) => void) => void): Promise<T> {
    return new PromiseClass<T>(executor);
  }
  function rejected(error: Error): Promise<never> {
    return newPromise((_resolve, reject) => reject(error));
  }

  function format(value: unknown): string {
    if (typeof value === 'string') return value;
    if (isError(value)) return toText(stackOf(value));
    if (typeof value === 'function') return '[Function ' + (value.name || 'anonymous') + ']';
    if (value === undefined || typeof value === 'symbol' || typeof value === 'bigint') return toText(value);
    try {
      const json = stringify(value);
      return json === undefined ? toText(value) : json;
    } catch {
      return toText(value);
    }
  }

  function emit(level: string, args: unknown[]): void {
    if (logEntries >= maxLogEntries || logChars >= maxLogChars) {
      droppedLogs++;
      return;
    }
    // Built piece by piece and cut as soon as it is over the room: a 20 MB argument is never copied whole.
    let text = '';
    for (let i = 0; i < args.length && text.length <= maxLogChars; i++) {
      text += (i > 0 ? ' ' : '') + format(args[i]);
    }
    // Formatting ran script code (toJSON, getters), which may have logged: the room is taken now.
    if (logEntries >= maxLogEntries || logChars >= maxLogChars) {
      droppedLogs++;
      return;
    }
    const room = maxLogChars - logChars;
    if (text.length > room) text = apply(slice, text, [0, room]) + '… [truncated]';
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

  /** `error` is made when the script called, so its stack points at the script's line; the reply fills it in. */
  function toolError(reply: { name: string; message: string; server?: string; tool?: string }, error: Error = new ErrorClass('')): Error {
    const field = (value: unknown) => ({ value, writable: true, configurable: true, enumerable: true });
    defineProperty(error, 'message', { value: reply.message, writable: true, configurable: true, enumerable: false });
    defineProperty(error, 'name', field(reply.name));
    if (reply.server !== undefined) {
      defineProperty(error, 'server', field(reply.server));
      defineProperty(error, 'tool', field(reply.tool));
    }
    return error;
  }

  function callTool(server: unknown, tool: unknown, args: unknown): Promise<unknown> {
    const failure = new ErrorClass('');
    let serverName: string, toolName: string, argsJson: string;
    try {
      serverName = toText(server);
      toolName = toText(tool);
    } catch (error) {
      return rejected(new TypeErrorClass('The server and tool names must be strings: ' + format(error)));
    }
    if (args === undefined || args === null) args = {};
    if (typeof args !== 'object' || isArray(args)) {
      return rejected(new TypeErrorClass('Arguments for ' + serverName + '.' + toolName + ' must be an object'));
    }
    try {
      argsJson = stringify(args);
    } catch (error) {
      const reason = isError(error) ? toText(error.message) : format(error);
      return rejected(new TypeErrorClass('Arguments for ' + serverName + '.' + toolName + ' cannot be turned into JSON: ' + reason));
    }
    const sent = callHost(serverName, toolName, argsJson);
    return newPromise((resolve, reject) => {
      whenSettled(
        sent,
        (replyJson) => {
          try {
            const reply = parse(replyJson as string) as ToolReply & { value?: unknown };
            if (own(reply, 'error')) reject(toolError(reply.error!, failure));
            else resolve(reply.value);
          } catch (error) {
            reject(error);
          }
        },
        reject,
      );
    });
  }

  const mcp: Record<string, unknown> & { call(server: string, tool: string, args?: unknown): Promise<unknown> } = {
    call(server, tool, args) {
      return callTool(server, tool, args);
    },
  };
  // A configured server that this run cannot reach: whatever tool a script names on it rejects with the reason.
  function unavailableServer(server: string, reason: string): object {
    return new Proxy(
      {},
      {
        get(_target, key) {
          if (typeof key !== 'string' || key === 'then') return undefined;
          return function () {
            const message = 'Server "' + server + '" is not available in this run: ' + reason;
            return rejected(toolError({ name: 'ToolError', message, server, tool: key }));
          };
        },
      },
    );
  }

  for (const binding of bindings) {
    if ('unavailable' in binding) {
      mcp[binding.serverId] = unavailableServer(binding.server, binding.unavailable);
      continue;
    }
    const server = (mcp[binding.serverId] ??= {}) as Record<string, unknown>;
    server[binding.toolId] = {
      [binding.toolId](args: unknown) {
        return callTool(binding.server, binding.tool, args);
      },
    }[binding.toolId];
  }

  // Timers live here, in null-prototype records and a binary heap by (due, id); the host keeps one wake-up per run.
  interface Timer {
    id: number;
    due: number;
    callback: (...args: unknown[]) => void;
    args: unknown[];
  }
  const timers = create(null) as Record<number, Timer>;
  const heap = create(null) as Record<number, Timer>;
  let heapSize = 0,
    liveTimers = 0,
    nextTimer = 1,
    wakeDue = Infinity,
    wakeRequest = 0;
  const earlier = (a: Timer, b: Timer) => a.due < b.due || (a.due === b.due && a.id < b.id);
  function push(timer: Timer): void {
    let i = heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(timer, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = timer;
  }
  function pop(): void {
    const last = heap[--heapSize];
    delete heap[heapSize];
    if (heapSize === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heapSize) break;
      if (child + 1 < heapSize && earlier(heap[child + 1], heap[child])) child++;
      if (!earlier(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }
  /** The next live timer; cleared ones are dropped from the heap as they surface. */
  function nextDue(): Timer | undefined {
    while (heapSize > 0 && timers[heap[0].id] !== heap[0]) pop();
    return heapSize > 0 ? heap[0] : undefined;
  }
  function schedule(): void {
    const next = nextDue();
    if (next === undefined || next.due >= wakeDue) return;
    wakeDue = next.due;
    const request = ++wakeRequest;
    whenSettled(wakeHost(next.due - currentTime()), () => request === wakeRequest && fire(), fire);
  }
  /** Runs one due timer per wake-up, so the promise jobs of one run before the next timer, as in Node. */
  function fire(): void {
    wakeDue = Infinity;
    const next = nextDue();
    if (next !== undefined && next.due <= currentTime()) {
      pop();
      delete timers[next.id];
      liveTimers--;
      try {
        apply(next.callback, undefined, next.args);
      } catch (error) {
        emit('error', ['Uncaught error in a setTimeout callback:', error]);
      }
    }
    schedule();
  }

  function setTimeout(callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): number {
    if (typeof callback !== 'function') throw new TypeErrorClass('setTimeout needs a function');
    if (liveTimers >= timerLimit) throw new RangeErrorClass('Too many pending timers (limit ' + timerLimit + ')');
    const delay = +(ms as number);
    const timer: Timer = { id: nextTimer++, due: currentTime() + (delay > 0 ? delay : 0), callback, args };
    timers[timer.id] = timer;
    liveTimers++;
    // Cleared timers stay in the heap until they surface: a set-and-clear loop must not grow it without end.
    if (heapSize > 2 * timerLimit) {
      heapSize = 0;
      for (const id in timers) push(timers[id]);
    }
    push(timer);
    schedule();
    return timer.id;
  }
  function clearTimeout(id: unknown): void {
    if (typeof id === 'number' && timers[id] !== undefined) {
      delete timers[id];
      liveTimers--;
    }
  }

  // Memory a buffer gains by growing in place is not counted by isolated-vm's limit: buffers keep the size they are
  // made with (in both backends, for one language). transfer() can grow a resizable buffer in place too.
  const growable = [ArrayBuffer.prototype, SharedArrayBuffer.prototype] as unknown as Array<Record<string, unknown>>;
  delete growable[0].resize;
  delete growable[0].transfer;
  delete growable[1].grow;

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
    function clockNow(): number {
      return keep(kept.now, nowAt < replayed.now.length ? replayed.now[nowAt++] : realNow());
    }
    function clockRandom(): number {
      return keep(kept.random, randomAt < replayed.random.length ? replayed.random[randomAt++] : realRandom());
    }
    const ClockDate = new Proxy(RealDate, {
      construct: (target, args, newTarget) => construct(target, args.length === 0 ? [clockNow()] : args, newTarget),
      // Date() called without new: the current time as a string.
      apply: () => new RealDate(clockNow()).toString(),
    });
    Object.defineProperty(RealDate, 'now', { value: clockNow, writable: true, configurable: true });
    Object.defineProperty(Math, 'random', { value: clockRandom, writable: true, configurable: true });
    Object.defineProperty(globalThis, 'Date', { value: ClockDate, writable: true, configurable: true });
    Object.defineProperty(RealDate.prototype, 'constructor', { value: ClockDate, writable: true, configurable: true });
    return kept;
  }
  // --- end of recorded clock ---------------------------------------------------------------------------------------

  /** Error texts are bounded as console entries are: a 10 MB message is not a report. */
  const cut = (text: string) => (text.length > maxErrorChars ? apply(slice, text, [0, maxErrorChars]) + '… [truncated]' : text);
  function describe(error: unknown): { name: string; message: string; stack?: string } {
    try {
      if (isError(error)) return { name: cut(toText(error.name)), message: cut(toText(error.message)), stack: cut(toText(stackOf(error))) };
      return { name: 'Error', message: cut('The script threw a value that is not an Error: ' + format(error)) };
    } catch {
      return { name: 'Error', message: 'The script threw a value that cannot be described' };
    }
  }

  return function runScript(main) {
    let finished = false;
    function finish(outcome: ScriptOutcome, json?: string): void {
      if (finished) return;
      finished = true;
      if (outcome.error) outcome.error = plain(outcome.error);
      if (clockValues) outcome.clock = clockValues;
      doneHost(stringify(plain(outcome)), json);
    }
    function succeed(value: unknown): void {
      let json: string | undefined;
      try {
        json = stringify(value);
      } catch (error) {
        const reason = isError(error) ? describe(error).message : format(error);
        finish({
          ok: false,
          result: true,
          error: { name: 'TypeError', message: 'The result cannot be turned into JSON: ' + reason },
          droppedLogs,
        });
        return;
      }
      if (json !== undefined && json.length > maxResultChars) {
        const message =
          'The result is too large: ' + json.length + ' characters of JSON (limit ' + maxResultChars + '); return a summary instead';
        finish({ ok: false, result: true, error: { name: 'RangeError', message }, droppedLogs });
        return;
      }
      finish({ ok: true, droppedLogs }, json);
    }
    try {
      whenSettled(main(), succeed, (error) => finish({ ok: false, error: describe(error), droppedLogs }));
    } catch (error) {
      finish({ ok: false, error: describe(error), droppedLogs });
    }
  };
}

/**
 * Source text of a statement that installs the prelude and defines `runScript`, for a backend's setup code that has
 * `callHost`, `logHost`, `wakeHost`, `doneHost` and `stackOf` in scope.
 */
export function preludeSource(bindings: readonly ApiBinding[], limits: SandboxLimits, clock?: ClockPlan): string {
  const host = '{ callHost, logHost, wakeHost, doneHost, stackOf }';
  // tsx (the test runner) compiles with esbuild's keepNames, which calls a `__name` helper of the module: the source
  // gets a harmless one of its own.
  const prelude = `((__name) => ${installPrelude.toString()})((fn) => fn)`;
  return `const runScript = ${prelude}(${host}, ${JSON.stringify(bindings)}, ${JSON.stringify(limits)}, ${maxTimers}, ${maxErrorChars}, ${JSON.stringify(clock ?? null)});`;
}
