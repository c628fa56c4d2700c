import { join } from 'node:path';
import { strict as assert } from 'node:assert';
import { defaultLimits } from '../../../src/core/defaults';
import { Engine } from '../../../src/core/engine/engine';
import { transpile } from '../../../src/core/engine/transpile';
import { McpHub } from '../../../src/core/mcp/hub';
import type { ExecuteResult, SandboxLimits, ToolCallHandler } from '../../../src/core/sandbox/contract/executor';
import { QuickJsExecutor, type QuickJsBuild, type QuickJsExecutorOptions } from '../../../src/core/sandbox/quickJs/quickJsExecutor';
import { MiB } from '../../../src/core/sandbox/quickJs/quickJsMemory';
import { RecordingLogger, noInputs, projectRoot, stdioTestServer } from '../helpers';
import { describeSandboxContract } from './sandboxContract';

interface QuickJsEngine {
  engine: Engine;
  executor: QuickJsExecutor;
  logger: RecordingLogger;
  dispose(): Promise<void>;
}

/** The engine as the product builds it, with the QuickJS fallback in place of the sandbox host, over the fixture server. */
/** The release build's .wasm as the bundle ships it, or the debug build's from its package. */
const releaseWasm = join(projectRoot, 'dist', 'quickjs.wasm');
const workerScript = join(projectRoot, 'dist', 'quickJsWorker.js');

async function quickJsEngine(options: Partial<QuickJsExecutorOptions> = {}): Promise<QuickJsEngine> {
  const logger = new RecordingLogger();
  const hub = new McpHub({ logger, variables: { ...noInputs, workspaceFolder: projectRoot } });
  await hub.reconcile([stdioTestServer()]);
  const executor = new QuickJsExecutor({ logger, wasmPath: releaseWasm, workerScript, ...options });
  const engine = new Engine(hub, executor, logger);
  return { engine, executor, logger, dispose: async () => void (await Promise.all([executor.dispose(), hub.closeAll()])) };
}

/** Drives the executor itself with the code the engine would hand it. */
function execute(
  source: string,
  limits: Partial<SandboxLimits> = {},
  onToolCall?: ToolCallHandler,
  signal?: AbortSignal,
): Promise<ExecuteResult> {
  const transpiled = transpile(source);
  assert.ok(transpiled.ok);
  const executor = new QuickJsExecutor({ wasmPath: releaseWasm, workerScript });
  const noTools: ToolCallHandler = async (server, tool) =>
    JSON.stringify({ error: { name: 'ToolError', message: 'no tools here', server, tool } });
  return executor.execute({ code: transpiled.code, bindings: [], limits: { ...defaultLimits, ...limits } }, onToolCall ?? noTools, signal);
}

/** QuickJS's debug build: its disposal fails when a handle leaked. It needs about 83 MB before any script runs. */
const debugBuild: QuickJsBuild = { variantPackage: '@jitl/quickjs-wasmfile-debug-sync', baseBytes: 128 * MiB };

describeSandboxContract('quickjs', () => quickJsEngine());

/** What is particular to the QuickJS fallback: its own error shapes, its memory bounding, its handle hygiene. */
describe('QuickJsExecutor (the WASM fallback)', () => {
  let t: QuickJsEngine;
  before(async () => {
    t = await quickJsEngine();
  });
  after(() => t.dispose());

  describe('errors', () => {
    it('reports a syntax error QuickJS finds, with its line', async () => {
      const run = await execute(`const a = 1;\nlet a = 2;`);
      assert.deepEqual(run.error, {
        kind: 'syntax',
        name: 'SyntaxError',
        message: 'invalid redefinition of lexical identifier',
        line: 2,
        column: 7,
      });
    });
  });

  describe('limits', () => {
    it('reports its own time limit in the executor message', async () => {
      const run = await execute('for (;;) {}', { timeoutMs: 200 });
      assert.deepEqual(run.error, {
        kind: 'timeout',
        name: 'TimeoutError',
        message: 'The script ran longer than its 200 ms time limit and was stopped',
      });
    });

    for (const [what, script] of [
      ['strings', `const keep = []; while (true) keep.push('x'.repeat(1e5) + keep.length);`],
      ['objects', `const keep = []; while (true) keep.push({ n: keep.length, list: [1, 2, 3] });`],
      ['typed arrays', `const keep = []; while (true) keep.push(new Uint8Array(1e6));`],
      ['one huge string', `return 'x'.repeat(200e6).length`],
      [
        'caught allocation failures',
        `const keep = []; for (let i = 0; i < 1e4; i++) { try { keep.push('x'.repeat(1e6) + i); } catch {} } return keep.length`,
      ],
    ]) {
      it(`stops a script that allocates without end (${what}) at the memory limit; the next run works`, async () => {
        const run = await t.engine.run(script, { memoryMb: 32 });
        assert.equal(run.ok, false, run.text);
        assert.deepEqual(
          [run.error?.kind, run.error?.message],
          ['memory', 'The script used more than its 32 MB memory limit and was stopped'],
        );
        assert.equal((await t.engine.run('return 3')).result, 3);
      });
    }

    it('frees the VM after a script that allocated much after an await', async () => {
      // Memory that grew during a job once detached quickjs-emscripten's views, leaking a context (assertion at disposal).
      const run = await t.engine.run(
        `await mcp.test.echo({ text: 'a' }); return Array.from({ length: 100_000 }, (_, id) => ({ id, note: 'x'.repeat(40) })).length`,
      );
      assert.equal(run.result, 100_000);
      assert.doesNotMatch(t.logger.text(), /disposal failed/);
    });

    it('lets a script use memory within its limit', async () => {
      const run = await t.engine.run(`const keep = []; for (let i = 0; i < 100; i++) keep.push('x'.repeat(1e5) + i); return keep.length`, {
        memoryMb: 32,
      });
      assert.equal(run.result, 100);
    });

    for (const [what, script] of [
      ['one long native call', `const a: number[] = []; a.length = 2 ** 32 - 1; return a.includes(1)`],
      ['a synchronous loop', `for (;;) {}`],
    ]) {
      it(`keeps the host's thread free during ${what}, and stops it at the time limit`, async () => {
        // Turns of the host's event loop, counted from the moment the script has started (its tool call).
        let turns = 0;
        let spinning = true;
        const spin = () => spinning && (turns++, setImmediate(spin));
        const started: ToolCallHandler = async () => {
          turns = 0;
          setImmediate(spin);
          return JSON.stringify({ value: 'go' });
        };
        const run = await execute(`await mcp.call('test', 'start', {});\n${script}`, { timeoutMs: 300 }, started);
        spinning = false;
        assert.equal(run.error?.kind, 'timeout', JSON.stringify(run.error));
        assert.ok(turns >= 3, `the host's event loop turned ${turns} times while the script ran`);
      });
    }

    it('cancels a run before it starts', async () => {
      const run = await execute('return 1', {}, undefined, AbortSignal.abort());
      assert.equal(run.error?.kind, 'cancelled');
    });
  });

  describe('the debug build', () => {
    let debug: QuickJsEngine;
    before(async () => {
      debug = await quickJsEngine({ build: debugBuild, wasmPath: require.resolve('@jitl/quickjs-wasmfile-debug-sync/wasm') });
      // Its first run compiles much of the (sanitized, slow) build: keep that out of the timed runs below.
      assert.equal((await debug.engine.run('return 0', { memoryMb: 512 })).result, 0);
    });
    beforeEach(() => void debug.logger.lines.splice(0));
    after(() => debug.dispose());

    // Its disposal fails on any handle or object left alive: each script leaves something in flight at its end.
    for (const [what, script, expected, calls] of [
      [
        'calls and timers',
        `await Promise.all([mcp.test.echo({ text: 'a' }), new Promise((resolve) => setTimeout(resolve, 5))]); return 1`,
        'ok',
        1,
      ],
      ['a call left in flight', `mcp.test.sleep({ ms: 3_000 }); setTimeout(() => {}, 10_000); return 1`, 'ok', 0],
      ['a thrown error', `await mcp.test.fail({ message: 'x' })`, 'script', 1],
      [
        'a timeout while waiting',
        `await mcp.test.echo({ text: 'a' }); setTimeout(() => {}, 10_000); await new Promise(() => {})`,
        'timeout',
        1,
      ],
      ['a timeout while running', `await mcp.test.echo({ text: 'a' }); while (true) {}`, 'timeout', 1],
    ] as const) {
      it(`frees every handle after ${what}`, async () => {
        const run = await debug.engine.run(script, { timeoutMs: 2_000, memoryMb: 512 });
        assert.equal(run.ok ? 'ok' : run.error?.kind, expected, run.text);
        assert.equal(run.calls.length, calls);
        assert.doesNotMatch(debug.logger.text(), /disposal failed|Assertion failed|leak/i);
      });
    }
  });
});
