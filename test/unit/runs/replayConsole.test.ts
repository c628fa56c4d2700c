import { strict as assert } from 'node:assert';
import { defaultLimits } from '../../../src/core/defaults';
import { transpile } from '../../../src/core/engine/transpile';
import { SandboxHostExecutor } from '../../../src/core/sandbox/launcher/sandboxHostExecutor';
import { RecordingLogger, sandboxHostScript } from '../helpers';

describe('console output of runs whose calls answer at once (as in a replay)', () => {
  const executor = new SandboxHostExecutor({ nodePath: process.execPath, hostScript: sandboxHostScript, logger: new RecordingLogger() });
  after(() => executor.dispose());

  it('never loses a line written just before the script returns', async () => {
    const transpiled = transpile(`const r = await mcp.call('a', 'b', {}); console.log('got', r); return r;`);
    assert.ok(transpiled.ok);
    const lost: number[] = [];
    for (let i = 0; i < 100; i++) {
      const result = await executor.execute({ code: transpiled.code, bindings: [], limits: defaultLimits }, async () => '{"value":1}');
      if (result.logs.length !== 1) {
        lost.push(i);
      }
    }
    assert.deepEqual(lost, []);
  });
});
