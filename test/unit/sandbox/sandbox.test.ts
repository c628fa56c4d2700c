import { strict as assert } from 'node:assert';
import { createTestEngine, isAlive, stdioTestServer, type TestEngine } from '../helpers';
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
    const executor = t.executor as unknown as { busy: Set<{ pid: number; kill(signal: string): void }> };
    const victim = t.engine.run(`await mcp.test.sleep({ ms: 5_000 }); return 'victim'`);
    while (executor.busy.size < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const [victimProcess] = executor.busy;
    const innocent = t.engine.run(`await mcp.test.sleep({ ms: 300 }); return 'innocent'`);
    while (executor.busy.size < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    victimProcess.kill('SIGKILL');
    const [lost, kept] = await Promise.all([victim, innocent]);
    assert.deepEqual([lost.error?.kind, lost.error?.name], ['sandbox', 'SandboxError']);
    assert.equal(kept.result, 'innocent', kept.text);
  });

  it('restarts the sandbox host when it dies', async () => {
    await t.engine.run('return 0');
    const child = await (t.executor as unknown as { child: Promise<{ pid: number; kill(signal: string): void }> }).child;
    child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(isAlive(child.pid), false);
    assert.equal((await t.engine.run('return 4')).result, 4);
  });
});
