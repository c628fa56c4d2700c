import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { ServerConfig } from '../../../src/core/config/serverConfig';
import { ToolError } from '../../../src/core/errors';
import { McpHub } from '../../../src/core/mcp/hub';
import { taskPolling } from '../../../src/core/mcp/taskCalls';
import { unwrapToolResult } from '../../../src/core/mcp/toolResult';
import { createTestEngine, noInputs, projectRoot, publishedServer, startRemoteTestServer, waitFor, type TestEngine } from '../helpers';

/** Built by `node esbuild.mjs --tests` from test/fixtures/taskServer.ts (Tasks extension, 2026-07-28). */
const taskServerScript = join(projectRoot, 'out', 'fixtures', 'taskServer.js');

function stdioTaskServer(name = 'tasks'): ServerConfig {
  return { name, type: 'stdio', command: process.execPath, args: [taskServerScript], env: {} };
}

async function text(hub: McpHub, server: string, tool: string): Promise<unknown> {
  return unwrapToolResult(await hub.callTool(server, tool, {}));
}

async function cancelledTasks(hub: McpHub, server = 'tasks'): Promise<string[]> {
  return (await text(hub, server, 'cancelled_tasks')) as string[];
}

/** The call's failure message, or a failure of the test when it succeeded. */
async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error: unknown) {
    assert.ok(error instanceof ToolError, `not a ToolError: ${String(error)}`);
    return error.message;
  }
  assert.fail('the call succeeded');
}

const transports: Array<{ title: string; start(): Promise<{ config: ServerConfig; stop(): Promise<void> }> }> = [
  { title: 'stdio', start: async () => ({ config: stdioTaskServer(), stop: async () => undefined }) },
  {
    title: 'streamable HTTP',
    start: async () => {
      const remote = await startRemoteTestServer('--http', taskServerScript);
      return { config: { name: 'tasks', type: 'http', url: remote.url, headers: {} }, stop: remote.stop };
    },
  },
];

for (const transport of transports) {
  describe(`Tasks extension (2026-07-28) over ${transport.title}`, () => {
    let hub: McpHub;
    let stop: () => Promise<void>;
    before(async () => {
      const started = await transport.start();
      stop = started.stop;
      hub = new McpHub({ variables: noInputs });
      await hub.reconcile([started.config]);
    });
    after(async () => {
      await hub.closeAll();
      await stop();
    });

    it('awaits a task to its result and reports its status on the way', async () => {
      const statuses: string[] = [];
      const result = await hub.callTool('tasks', 'slow_report', { steps: 3 }, { onStatus: (status) => statuses.push(status) });
      assert.deepEqual(result.structuredContent, { steps: 3, done: true });
      assert.equal(statuses[0], 'task working: step 1 of 3');
      assert.equal(statuses.at(-1), 'task completed: report ready');
    });

    it('gives a task that ends in a tool error back as that result, and a failed or cancelled task as a ToolError', async () => {
      const toolError = await hub.callTool('tasks', 'task_outcome', { outcome: 'tool_error' });
      assert.equal(toolError.isError, true);
      assert.equal(unwrapToolResult(toolError), 'quota exceeded');
      assert.equal(await failure(hub.callTool('tasks', 'task_outcome', { outcome: 'failed' })), 'the task failed: backend unreachable');
      assert.equal(
        await failure(hub.callTool('tasks', 'task_outcome', { outcome: 'cancelled' })),
        'the server cancelled the task: an operator stopped it',
      );
    });

    it('cancels the task on the server when the call is aborted', async () => {
      const before = (await cancelledTasks(hub)).length;
      const abort = new AbortController();
      const message = await failure(hub.callTool('tasks', 'forever', {}, { signal: abort.signal, onStatus: () => abort.abort() }));
      assert.equal(message, 'the call was cancelled');
      await waitFor(async () => (await cancelledTasks(hub)).length === before + 1, 5_000, 'tasks/cancel received');
    });

    it('cancels the task on the server when the call runs out of time', async () => {
      const before = (await cancelledTasks(hub)).length;
      assert.equal(await failure(hub.callTool('tasks', 'forever', {}, { timeoutMs: 300 })), 'the call timed out');
      await waitFor(async () => (await cancelledTasks(hub)).length === before + 1, 5_000, 'tasks/cancel received');
    });
  });
}

describe('Tasks extension: a hostile task server', () => {
  let hub: McpHub;
  before(async () => {
    hub = new McpHub({ variables: noInputs });
    await hub.reconcile([stdioTaskServer()]);
  });
  after(() => hub.closeAll());

  it('cannot make the client poll faster than the floor (pollIntervalMs 0, working forever)', async () => {
    const timeoutMs = 1_000;
    assert.equal(await failure(hub.callTool('tasks', 'hostile_task', { mode: 'endless_zero_poll' }, { timeoutMs })), 'the call timed out');
    const polls = Object.values((await text(hub, 'tasks', 'task_polls')) as Record<string, number>);
    // One poll per floor interval at most (a slow machine polls less, never more).
    assert.ok(Math.max(...polls) <= timeoutMs / taskPolling.minPollMs + 1, `polled ${Math.max(...polls)} times`);
  });

  it('cannot stall the client with an absurd pollIntervalMs: the task still ends the call', async () => {
    const result = await hub.callTool('tasks', 'hostile_task', { mode: 'absurd_poll' }, { timeoutMs: 20_000 });
    assert.equal(unwrapToolResult(result), 'finally');
  });

  it('cuts huge status messages before anyone is told them', async () => {
    const statuses: string[] = [];
    const result = await hub.callTool('tasks', 'hostile_task', { mode: 'huge_status' }, { onStatus: (status) => statuses.push(status) });
    assert.equal(unwrapToolResult(result), 'survived');
    assert.ok(statuses.length > 1);
    for (const status of statuses) {
      assert.ok(status.length < taskPolling.maxStatusChars + 100, `a status of ${status.length} characters`);
    }
  });

  it('fails on an unknown task id, a malformed task or a completed task without a result', async () => {
    assert.match(await failure(hub.callTool('tasks', 'hostile_task', { mode: 'unknown_id' })), /Task not found/);
    assert.match(await failure(hub.callTool('tasks', 'hostile_task', { mode: 'garbage' })), /^Invalid result for tasks\/get/);
    assert.equal(
      await failure(hub.callTool('tasks', 'hostile_task', { mode: 'no_result' })),
      'the task completed without a valid tool result',
    );
  });

  it('cancels a task that asks for input it cannot be given', async () => {
    const before = (await cancelledTasks(hub)).length;
    assert.equal(
      await failure(hub.callTool('tasks', 'hostile_task', { mode: 'input_required' })),
      'the task asked for input (name), which Code Mode does not give to tasks; it was cancelled',
    );
    await waitFor(async () => (await cancelledTasks(hub)).length === before + 1, 5_000, 'tasks/cancel received');
  });
});

describe('Tasks extension: a script awaits a task tool', () => {
  let t: TestEngine;
  before(async () => {
    t = await createTestEngine([stdioTaskServer()]);
  });
  after(() => t.dispose());

  it('gets the final result like any call, with the task status in the log', async () => {
    const run = await t.engine.run(`return await mcp.tasks.slowReport({ steps: 2 })`);
    assert.equal(run.ok, true, run.text);
    assert.deepEqual(run.result, { steps: 2, done: true });
    assert.deepEqual(
      run.calls.map(({ tool, ok }) => ({ tool, ok })),
      [{ tool: 'slow_report', ok: true }],
    );
    const log = t.logger.text();
    assert.match(log, /^info call tasks\.slow_report: task working: step 1 of 2$/m);
    assert.match(log, /^info call tasks\.slow_report: task completed: report ready$/m);
  });

  it('rejects with a ToolError the script can catch when the task fails', async () => {
    const run = await t.engine.run(`
      try { await mcp.tasks.taskOutcome({ outcome: 'failed' }); }
      catch (e) { return { name: e.name, message: e.message, tool: e.tool }; }
    `);
    assert.deepEqual(run.result, { name: 'ToolError', message: 'the task failed: backend unreachable', tool: 'task_outcome' });
  });

  it('cancels the task on the server when the run times out', async () => {
    const before = (await cancelledTasks(t.hub)).length;
    const run = await t.engine.run(`await mcp.tasks.forever(); return 'unreachable'`, { timeoutMs: 1_500 });
    assert.equal(run.ok, false);
    assert.equal(run.error?.kind, 'timeout');
    await waitFor(async () => (await cancelledTasks(t.hub)).length === before + 1, 5_000, 'tasks/cancel received');
  });

  it('cancels the task on the server when the run is aborted', async () => {
    const before = (await cancelledTasks(t.hub)).length;
    const abort = new AbortController();
    const started = () => t.logger.lines.filter((line) => line.startsWith('info call tasks.forever: task working')).length;
    const startedBefore = started();
    const running = t.engine.run(`await mcp.tasks.forever(); return 'unreachable'`, { signal: abort.signal });
    await waitFor(() => started() > startedBefore, 10_000, 'the task started');
    abort.abort();
    const run = await running;
    assert.equal(run.ok, false);
    await waitFor(async () => (await cancelledTasks(t.hub)).length === before + 1, 5_000, 'tasks/cancel received');
  });

  it('keeps a hostile status message to one inert, bounded log line', async () => {
    const run = await t.engine.run(`return await mcp.tasks.hostileTask({ mode: 'huge_status' })`);
    assert.equal(run.ok, true, run.text);
    const lines = t.logger.lines.filter((line) => line.startsWith('info call tasks.hostile_task:'));
    assert.ok(lines.length > 1);
    for (const line of lines) {
      assert.ok(line.length < 1_000, `a log line of ${line.length} characters`);
      assert.doesNotMatch(line, /[\n\u001b]/);
    }
  });
});

describe('2025-11-25 tasks: a script awaits a tool that requires them (published everything server, SDK v1)', () => {
  let t: TestEngine;
  before(async () => {
    const everything = publishedServer('everything');
    t = await createTestEngine([{ name: 'everything', type: 'stdio', command: process.execPath, args: [everything, 'stdio'], env: {} }]);
  });
  after(() => t.dispose());

  it('asks for a task, polls it and gets its result through tasks/result', async () => {
    const run = await t.engine.run(`return await mcp.everything.simulateResearchQuery({ topic: 'tides' })`);
    assert.equal(run.ok, true, run.text);
    assert.match(String(run.result), /^# Research Report: tides\n/);
    assert.match(t.logger.text(), /^info call everything\.simulate-research-query: task working: Gathering sources\.\.\.$/m);
  });

  it('cancels the task on the server when the run is aborted', async () => {
    const abort = new AbortController();
    const running = t.engine.run(`return await mcp.everything.simulateResearchQuery({ topic: 'currents' })`, { signal: abort.signal });
    const started = () =>
      t.logger.lines.filter((line) => line.startsWith('info call everything.simulate-research-query: task working')).length;
    const startedBefore = started();
    await waitFor(() => started() > startedBefore, 10_000, 'the task started');
    abort.abort();
    assert.equal((await running).ok, false);
    // The server's research loop finds its task cancelled when it next reports (its own stderr, logged as trace).
    await waitFor(() => /terminal status "cancelled"/.test(t.logger.text()), 5_000, 'the server saw the task cancelled');
  });
});
