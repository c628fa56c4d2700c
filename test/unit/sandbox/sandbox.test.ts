import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { createTestEngine, isAlive, stdioTestServer, waitFor, type TestEngine } from '../helpers';
import { describeSandboxContract } from './sandboxContract';

describeSandboxContract('isolated-vm', () => createTestEngine([stdioTestServer()]));

/** What is particular to isolated-vm in the sandbox host process. */
describe('sandbox (isolated-vm in the sandbox host)', () => {
  let t: TestEngine;
  before(async () => {
    t = await createTestEngine([stdioTestServer()]);
  });
  after(() => t.dispose());

  it('a sandbox host that dies fails only its own run, not one running beside it', async () => {
    const victim = t.engine.run(`await mcp.test.sleep({ ms: 5_000 }); return 'victim'`);
    await waitFor(() => t.executor.running.size === 1, 10_000, 'the first run on its process');
    const [victimProcess] = t.executor.running;
    const innocent = t.engine.run(`await mcp.test.sleep({ ms: 300 }); return 'innocent'`);
    await waitFor(() => t.executor.running.size === 2, 10_000, 'the second run on a process of its own');
    victimProcess.kill('SIGKILL');
    const [lost, kept] = await Promise.all([victim, innocent]);
    assert.deepEqual([lost.error?.kind, lost.error?.name], ['sandbox', 'SandboxError']);
    assert.equal(kept.result, 'innocent', kept.text);
  });

  it("names the cause of a result that cannot be JSON in V8's own words", async () => {
    const circular = await t.engine.run('const a: any = {}; a.self = a; return a;');
    assert.match(circular.error?.message ?? '', /^The result cannot be turned into JSON: Converting circular structure to JSON/);
  });

  it('restarts the sandbox host when it dies', async () => {
    await t.engine.run('return 0');
    const child = (await t.executor.child)!;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    assert.equal(isAlive(child.pid), false);
    assert.equal((await t.engine.run('return 4')).result, 4);
  });
});
