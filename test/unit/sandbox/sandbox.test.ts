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

  it('restarts the sandbox host when it dies', async () => {
    await t.engine.run('return 0');
    const child = await (t.executor as unknown as { child: Promise<{ pid: number; kill(signal: string): void }> }).child;
    child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(isAlive(child.pid), false);
    assert.equal((await t.engine.run('return 4')).result, 4);
  });
});
