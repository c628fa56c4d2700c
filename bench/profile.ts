import ivm from 'isolated-vm';
import { bindApi } from '../src/core/codegen/identifiers';
import { defaultLimits } from '../src/core/defaults';
import { transpile } from '../src/core/engine/transpile';
import { ArgumentValidator } from '../src/core/mcp/argumentValidator';
import { unwrapToolResult } from '../src/core/mcp/toolResult';
import type { ExecuteRequest, ToolCallHandler } from '../src/core/sandbox/contract/executor';
import { isolateBootstrap } from '../src/core/sandbox/sandboxHost/bootstrap';
import { runInIsolate } from '../src/core/sandbox/sandboxHost/runInIsolate';
import type { CodeMode } from './codeMode';
import { bareIsolateRun, ipcRoundTrip, isolateCallRoundTrip } from './floors';
import type { Peer } from './peer';
import { summarize, type Timing } from './stats';
import type { DirectClients } from './traditional';

export interface Breakdown {
  /** Parts of a warm `return 1` run, each timed alone, in turn. */
  run: Array<{ part: string; timing: Timing }>;
  /** Milliseconds per sequential echo call through each path, from (100 calls − no call) / 100, in turn. */
  call: Array<{ part: string; timing: Timing }>;
}

const rounds = 30;
const calls = 100;
const noCall = 'return 1;';
const hundredCalls = `for (let i = 0; i < ${calls}; i++) await mcp.bench.echo({ text: 'message ' + i });\nreturn 1;`;
const peerHundredCalls = `for (let i = 0; i < ${calls}; i++) bench.bench_echo({ text: 'message ' + i });\nreturn 1;`;

/** Runs every probe once per round, in turn, after one warm-up round; returns the per-probe timings. */
async function inTurn(probes: Array<{ part: string; probe: () => Promise<number> }>): Promise<Array<{ part: string; timing: Timing }>> {
  const samples = probes.map(() => [] as number[]);
  for (let round = 0; round <= rounds; round++) {
    for (const [index, { probe }] of probes.entries()) {
      const ms = await probe();
      if (round > 0) {
        samples[index].push(ms);
      }
    }
  }
  return probes.map(({ part }, index) => ({ part, timing: summarize(samples[index]) }));
}

async function elapsed(task: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

/** Per-call milliseconds of a path: (time with 100 calls − time with none) / 100. */
function perCall(withCalls: () => Promise<unknown>, without: () => Promise<unknown>): () => Promise<number> {
  return async () => {
    const base = await elapsed(without);
    return ((await elapsed(withCalls)) - base) / calls;
  };
}

/** The parts of runInIsolate (src/core/sandbox/isolateRunner.ts), in its order, in this process. */
async function isolateParts(request: ExecuteRequest, onToolCall: ToolCallHandler): Promise<number[]> {
  const marks = [performance.now()];
  const isolate = new ivm.Isolate({ memoryLimit: request.limits.memoryMb });
  marks.push(performance.now());
  const context = await isolate.createContext();
  marks.push(performance.now());
  const run = await context.evalClosure(
    isolateBootstrap(request.bindings, request.limits),
    [onToolCall, () => undefined, async () => undefined],
    {
      arguments: { reference: true },
      result: { reference: true },
      filename: 'codemode:sandbox',
    },
  );
  marks.push(performance.now());
  const script = await isolate.compileScript(request.code, { filename: 'script.ts', lineOffset: -1 });
  const main = await script.run(context, { reference: true, timeout: request.limits.timeoutMs });
  marks.push(performance.now());
  await run.apply(undefined, [main.derefInto()], { result: { promise: true, copy: true }, timeout: request.limits.timeoutMs });
  marks.push(performance.now());
  isolate.dispose();
  marks.push(performance.now());
  return marks.slice(1).map((mark, i) => mark - marks[i]);
}

/** Where a warm run's time and a call's overhead go, layer by layer, along the same code paths as Engine.run. */
export async function profile(codeMode: CodeMode, peer: Peer, direct: DirectClients): Promise<Breakdown> {
  const { engine, hub, executor } = codeMode;
  const listing = await hub.listTools();
  const bindings = bindApi(listing.servers);
  const request = (source: string): ExecuteRequest => ({
    code: (transpile(source) as { code: string }).code,
    bindings,
    limits: defaultLimits,
  });
  const [zero, hundred] = [request(noCall), request(hundredCalls)];
  const never = new AbortController().signal;
  const noop: ToolCallHandler = async () => '{"value":"message"}';
  // The steps of Engine's call handler, without the sandbox: parse, find, validate, call, unwrap, serialise.
  const validator = new ArgumentValidator();
  const hubPath: ToolCallHandler = async (server, tool, argsJson) => {
    const args = JSON.parse(argsJson) as Record<string, unknown>;
    const info = await hub.findTool(server, tool);
    validator.check(info.inputSchema, args);
    return JSON.stringify({ value: unwrapToolResult(await hub.callTool(server, tool, args)) });
  };
  const parts: number[][] = [];
  const run = await inTurn([
    { part: 'Engine.run, whole (host side)', probe: () => elapsed(() => engine.run(noCall)) },
    { part: '  transpile (sucrase)', probe: () => elapsed(() => transpile(noCall)) },
    {
      part: `  bindApi (${listing.servers.length} servers, ${bindings.length} tools)`,
      probe: () => elapsed(() => bindApi(listing.servers)),
    },
    { part: '  executor.execute: IPC + runInIsolate in the sandbox host', probe: () => elapsed(() => executor.execute(zero, noop)) },
    { part: '  runInIsolate in this process (no IPC)', probe: () => elapsed(() => runInIsolate(zero, noop, never)) },
    { part: '  the same, part by part (below)', probe: () => elapsed(async () => parts.push(await isolateParts(zero, noop))) },
    { part: 'floor: bare isolate + context + eval + dispose', probe: () => elapsed(bareIsolateRun) },
  ]);
  const partNames = [
    'new ivm.Isolate',
    'createContext',
    'bootstrap (evalClosure of mcp/console/timers)',
    'compileScript + run',
    'apply (await the script)',
    'isolate.dispose',
  ];
  run.splice(6, 0, ...partNames.map((name, i) => ({ part: `    ${name}`, timing: summarize(parts.slice(1).map((row) => row[i])) })));
  const call = await inTurn([
    {
      part: 'direct SDK client.callTool (host → server)',
      probe: async () =>
        (await elapsed(async () => {
          for (let i = 0; i < calls; i++) await direct.call('bench', 'echo', { text: `message ${i}` });
        })) / calls,
    },
    {
      part: "Engine's handler steps in the host, no sandbox (find, validate, hub.callTool, unwrap, JSON)",
      probe: async () =>
        (await elapsed(async () => {
          for (let i = 0; i < calls; i++) await hubPath('bench', 'echo', `{"text":"message ${i}"}`);
        })) / calls,
    },
    {
      part: 'isolate in this process + those steps (no IPC)',
      probe: perCall(
        () => runInIsolate(hundred, hubPath, never),
        () => runInIsolate(zero, hubPath, never),
      ),
    },
    {
      part: '**Code Mode: Engine.run** (isolate in the sandbox host, IPC, those steps)',
      probe: perCall(
        () => engine.run(hundredCalls),
        () => engine.run(noCall),
      ),
    },
    {
      part: 'sandbox host round trip only (handler answers at once)',
      probe: perCall(
        () => executor.execute(hundred, noop),
        () => executor.execute(zero, noop),
      ),
    },
    {
      part: 'isolate in this process only (handler answers at once)',
      probe: perCall(
        () => runInIsolate(hundred, noop, never),
        () => runInIsolate(zero, noop, never),
      ),
    },
    {
      part: '**Peer** (@utcp/code-mode, in-process isolate, its UTCP client)',
      probe: perCall(
        () => peer.runOrThrow(peerHundredCalls),
        () => peer.runOrThrow(noCall),
      ),
    },
  ]);
  call.push(
    { part: 'floor: IPC round trip to a child process (hot loop)', timing: summarize([await ipcRoundTrip(2_000)]) },
    { part: 'floor: isolate → host async call round trip (hot loop)', timing: summarize([await isolateCallRoundTrip(2_000)]) },
  );
  return { run, call };
}
