import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codemode } from './runCli';

/** Without --json the CLI prints text that scripts and servers chose: none of it may act on the terminal. */
describe('codemode CLI output in a terminal', () => {
  it('shows escape sequences, carriage returns and forged lines as inert text', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'codemode-terminal-'));
    await writeFile(join(cwd, 'mcp.json'), JSON.stringify({ servers: {} }));
    const script = `
      console.log('title\\u001b]0;pwned\\u0007 clear\\u001b[2J\\rover\\n[error] forged by the script');
      return 'red\\u001b[31m text\\r\\u009b2J';
    `;
    const outcome = await codemode(['run', '-', '--config', 'mcp.json'], { cwd, stdin: script });
    assert.equal(outcome.code, 0, outcome.stderr);
    for (const text of [outcome.stdout, outcome.stderr]) {
      assert.ok(!/[\u001b\u0007\r\u009b]/.test(text), JSON.stringify(text));
    }
    assert.ok(!outcome.stderr.split('\n').some((line) => line.startsWith('[error] forged')), outcome.stderr);
    assert.equal(outcome.stderr, '[log] title\\u001b]0;pwned\\u0007 clear\\u001b[2J\\rover\n  [error] forged by the script\n');
    assert.equal(outcome.stdout, 'red\\u001b[31m text\\r\\u009b2J\n');
    const failed = await codemode(['run', '-', '--config', 'mcp.json'], { cwd, stdin: `throw new Error('boom\\n[log] forged\\u001b[0m')` });
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr, 'Error: boom\n  [log] forged\\u001b[0m (line 1, column 7)\n');
  });
});
