import { strict as assert } from 'node:assert';
import { parseConfigText } from '../../../src/core/config/parseConfig';
import { createTestEngine, stdioTestServer, waitFor, type TestEngine } from '../helpers';

/** Bad input gets a clear error and loses nothing. */
describe('bad input', () => {
  let t: TestEngine;
  before(async () => {
    t = await createTestEngine([stdioTestServer()]);
  });
  after(() => t.dispose());

  it('an empty script succeeds with no value', async () => {
    for (const code of ['', '   \n\t', '// only a comment']) {
      const run = await t.engine.run(code);
      assert.deepEqual([run.ok, run.result, run.text], [true, undefined, 'undefined (the script returned no value)']);
    }
  });

  it('wrong argument types name the field and the expected type; arguments that are not JSON are refused', async () => {
    const wrong = await t.engine.run(`return await mcp.test.sleep({ ms: 'soon' })`);
    assert.equal(wrong.error?.message, 'Invalid arguments for test.sleep: args.ms must be integer, received string');
    const unserialisable = await t.engine.run(`return await (mcp.test.echo as any)({ text: 10n })`);
    assert.match(unserialisable.error?.message ?? '', /^Arguments for test\.echo cannot be turned into JSON: /);
  });

  it('a configuration change with bad entries leaves a running script and its server alone', async () => {
    const running = t.engine.run(
      `await mcp.test.stderr({ line: 'running' }); await mcp.test.sleep({ ms: 300 }); return await mcp.test.echo({ text: 'survived' })`,
    );
    await waitFor(() => t.logger.text().includes('[test] running'), 10_000, 'the script under way');
    const config = parseConfigText(JSON.stringify({ servers: { bad: { command: 5 }, alsoBad: { url: 'not a url' } } }), 'mcp.json');
    assert.equal(config.problems.length, 2);
    await t.hub.reconcile([stdioTestServer(), ...config.servers]);
    const run = await running;
    assert.deepEqual([run.ok, run.result], [true, 'survived'], run.text);
  });

  it('an ${input:...} without a value fails that server clearly and no other', async () => {
    const local = await createTestEngine([stdioTestServer('needsInput', [], { TOKEN: '${input:missing}' }), stdioTestServer('fine')]);
    try {
      const run = await local.engine.run(`
        const failed = await mcp.call('needsInput', 'echo', { text: 'x' }).catch((e) => e.message);
        return { failed, fine: await mcp.fine.echo({ text: 'ok' }) };
      `);
      const { failed, fine } = run.result as { failed: string; fine: string };
      assert.equal(fine, 'ok');
      assert.match(
        failed,
        /^(Server "needsInput" is unavailable \(|Could not connect to server "needsInput": )servers\.needsInput\.env\.TOKEN: no value for \$\{input:missing\}/,
      );
    } finally {
      await local.dispose();
    }
  });
});
