import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApprovalPolicy, CallToApprove, ApprovalAnswer } from '../../../src/core/approval/approvalPolicy';
import { declinedMessage } from '../../../src/core/approval/approvalPolicy';
import { Engine } from '../../../src/core/engine/engine';
import { QuickJsExecutor } from '../../../src/core/sandbox/quickJs/quickJsExecutor';
import { createTestEngine, projectRoot, type TestEngine } from '../helpers';

const approvalServerScript = join(projectRoot, 'out', 'fixtures', 'approvalServer.js');
const writes: ApprovalPolicy = { mode: 'writes', allowed: [] };

/** What reached the fixture server, from its own record. */
function received(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).tool)
    : [];
}

describe('approvals of inner calls', () => {
  let t: TestEngine;
  let record: string;
  let asked: CallToApprove[];
  const answering =
    (answer: ApprovalAnswer | ((call: CallToApprove) => Promise<ApprovalAnswer>)) =>
    async (call: CallToApprove): Promise<ApprovalAnswer> => {
      asked.push(call);
      return typeof answer === 'function' ? answer(call) : answer;
    };

  before(async () => {
    record = join(mkdtempSync(join(tmpdir(), 'codemode-approvals-')), 'calls.jsonl');
    t = await createTestEngine([
      { name: 'notes', type: 'stdio', command: process.execPath, args: [approvalServerScript, `--record=${record}`], env: {} },
    ]);
  });
  after(() => t.dispose());
  beforeEach(() => {
    asked = [];
  });

  it('a declined write never reaches the server and rejects with a ToolError the script catches; reads are not asked about', async () => {
    const before = received(record).length;
    const run = await t.engine.run(
      `
      const read = await mcp.notes.readNote({ name: 'a' });
      try { await mcp.notes.writeNote({ name: 'a', text: 'x' }); return 'written'; }
      catch (e) { return { name: e.name, message: e.message, server: e.server, tool: e.tool, read }; }`,
      { approvals: { policy: writes, approveCall: answering(declinedMessage) } },
    );
    assert.equal(run.ok, true, run.text);
    assert.deepEqual(run.result, {
      name: 'ToolError',
      message: `notes.write_note was not called: ${declinedMessage}`,
      server: 'notes',
      tool: 'write_note',
      read: '',
    });
    assert.deepEqual(received(record).slice(before), ['read_note']);
    assert.deepEqual(asked, [
      {
        server: 'notes',
        tool: 'write_note',
        args: { name: 'a', text: 'x' },
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
    ]);
    assert.deepEqual(
      run.calls.map(({ tool, ok, approval }) => ({ tool, ok, approval })),
      [
        { tool: 'read_note', ok: true, approval: undefined },
        { tool: 'write_note', ok: false, approval: 'refused' },
      ],
    );
  });

  it('an approved write reaches the server; an unannotated tool is asked about as a write', async () => {
    const before = received(record).length;
    const run = await t.engine.run(
      `await mcp.notes.writeNote({ name: 'b', text: 'y' }); await mcp.notes.touch(); return await mcp.notes.readNote({ name: 'b' });`,
      {
        approvals: { policy: writes, approveCall: answering(true) },
      },
    );
    assert.equal(run.ok, true, run.text);
    assert.equal(run.result, 'y');
    assert.deepEqual(received(record).slice(before), ['write_note', 'touch', 'read_note']);
    assert.deepEqual(
      asked.map((call) => call.tool),
      ['write_note', 'touch'],
    );
  });

  it('asks only about destructive calls under "destructive", about none under "none", never about allowed tools', async () => {
    const script = `await mcp.notes.writeNote({ name: 'c', text: 'z' }); await mcp.notes.deleteNote({ name: 'c' }); return 'ok';`;
    await t.engine.run(script, { approvals: { policy: { mode: 'destructive', allowed: [] }, approveCall: answering(true) } });
    assert.deepEqual(
      asked.map((call) => call.tool),
      ['delete_note'],
    );
    asked.splice(0);
    await t.engine.run(script, { approvals: { policy: { mode: 'none', allowed: [] }, approveCall: answering(true) } });
    await t.engine.run(script, { approvals: { policy: { mode: 'writes', allowed: ['notes.*'] }, approveCall: answering(true) } });
    await t.engine.run(script, { approvals: { policy: { mode: 'writes', allowed: ['*'] }, approveCall: answering(true) } });
    assert.equal(asked.length, 0);
    await t.engine.run(script, { approvals: { policy: { mode: 'writes', allowed: ['notes.write_note'] }, approveCall: answering(true) } });
    assert.deepEqual(
      asked.map((call) => call.tool),
      ['delete_note'],
    );
  });

  it('asks about the calls of a Promise.all one at a time', async () => {
    let open = 0;
    let most = 0;
    const run = await t.engine.run(`return await Promise.all([1, 2, 3].map((i) => mcp.notes.writeNote({ name: 'n' + i, text: 'v' })));`, {
      approvals: {
        policy: writes,
        approveCall: answering(async () => {
          most = Math.max(most, ++open);
          await new Promise((resolve) => setImmediate(resolve));
          open--;
          return true;
        }),
      },
    });
    assert.equal(run.ok, true, run.text);
    assert.equal(asked.length, 3);
    assert.equal(most, 1);
  });

  it('a refusal says why (the CLI names the flag), and an approver that throws refuses', async () => {
    const refused = await t.engine.run(`try { await mcp.notes.deleteNote({ name: 'q' }); } catch (e) { return e.message; }`, {
      approvals: { policy: writes, approveCall: answering('not approved (run with --approve notes.delete_note)') },
    });
    assert.equal(refused.result, 'notes.delete_note was not called: not approved (run with --approve notes.delete_note)');
    const threw = await t.engine.run(`try { await mcp.notes.deleteNote({ name: 'q' }); } catch (e) { return e.message; }`, {
      approvals: {
        policy: writes,
        approveCall: async () => {
          throw new Error('the dialog failed');
        },
      },
    });
    assert.equal(threw.result, 'notes.delete_note was not called: not approved: the dialog failed');
  });

  for (const backend of ['isolated-vm', 'quickjs'] as const) {
    describe(`the time a person takes to answer is not the run's (${backend})`, () => {
      let engine: Engine;
      let quickJs: QuickJsExecutor | undefined;
      before(async () => {
        if (backend === 'quickjs') {
          quickJs = new QuickJsExecutor({
            wasmPath: join(projectRoot, 'dist', 'quickjs.wasm'),
            workerScript: join(projectRoot, 'dist', 'quickJsWorker.js'),
          });
          engine = new Engine(t.hub, quickJs, t.logger);
          // A new engine's first run loads its transpiler and the WASM: that is not what these tests time.
          await engine.run('return 1');
        } else {
          engine = t.engine;
        }
      });
      after(() => quickJs?.dispose());

      it('an answer that comes after the time limit still lets the run finish', async () => {
        // The answer comes when the whole limit has passed: only a stopped clock lets the run go on.
        const run = await engine.run(
          `const t = await mcp.notes.writeNote({ name: 'slow', text: 's' }); await new Promise((r) => setTimeout(r, 10)); return t;`,
          {
            timeoutMs: 3_000,
            approvals: { policy: writes, approveCall: answering(() => new Promise((resolve) => setTimeout(() => resolve(true), 4_000))) },
          },
        );
        assert.equal(run.ok, true, run.text);
        assert.equal(run.result, 'written');
      });

      it('a script that computes while a person decides is still stopped at its limit', async () => {
        // QuickJS may not even send the call: a worker that computes does not get to post it.
        let answer: ((value: ApprovalAnswer) => void) | undefined;
        const running = engine.run(
          `await Promise.all([mcp.notes.writeNote({ name: 'spin', text: 's' }), (async () => { await null; for (;;) {} })()]);`,
          { timeoutMs: 2_000, approvals: { policy: writes, approveCall: answering(() => new Promise((resolve) => (answer = resolve))) } },
        );
        const run = await running;
        answer?.(declinedMessage);
        assert.equal(run.ok, false);
        assert.equal(run.error?.name, 'TimeoutError', run.text);
      });
    });
  }
});
