import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDts } from '../../../src/core/codegen/dts';
import type { ServerConfig } from '../../../src/core/config/serverConfig';
import { asCheckableModule, typeCheck } from '../compileTypeScript';
import { createTestEngine, publishedServer, stdioTestServer, type TestEngine } from '../helpers';
import { mistakes, valid, write } from './corpus';

// Every script runs through the real engine, the real isolate and real servers. A mistake runs twice: checked, it must
// not run at all (its write is not in the memory server afterwards); unchecked, it must fail, which shows that the
// check blocked a certain failure and not a matter of taste.
describe('the check before a run: the corpus', () => {
  const folder = mkdtempSync(join(tmpdir(), 'codemode-check-'));
  writeFileSync(join(folder, 'notes.txt'), 'first\nsecond\n');
  const servers: ServerConfig[] = [
    stdioTestServer(),
    {
      name: 'memory',
      type: 'stdio',
      command: process.execPath,
      args: [publishedServer('memory')],
      env: { MEMORY_FILE_PATH: join(folder, 'memory.jsonl') },
    },
    { name: 'fs', type: 'stdio', command: process.execPath, args: [publishedServer('filesystem'), folder], env: {} },
  ];
  const inFolder = (script: string) => script.replaceAll('FOLDER', folder);
  const caught: string[] = [];
  const blockedValid: string[] = [];
  /** Mistakes that, unchecked, fail before anything runs (V8 or the transpiler cannot parse them). */
  const unparsable = new Set<number>();
  let t: TestEngine;

  before(async () => {
    t = await createTestEngine(servers);
  });
  after(async () => {
    await t.dispose();
    rmSync(folder, { recursive: true, force: true });
    process.stdout.write(
      `      check corpus: caught ${caught.length} of ${mistakes.length} mistakes, blocked ${blockedValid.length} of ${valid.length} valid scripts\n`,
    );
  });

  async function entityNames(): Promise<string[]> {
    const graph = await t.hub.callTool('memory', 'read_graph', {});
    return (graph.structuredContent as { entities: Array<{ name: string }> }).entities.map((entity) => entity.name);
  }

  describe(`${mistakes.length} mistakes, each after a write: not run, no tool called`, () => {
    mistakes.forEach((mistake, i) => {
      it(mistake.name, async () => {
        const checked = await t.engine.run(inFolder(write.replace('PROBE', `checked-${i}`) + mistake.script), { check: true });
        // A script that does not parse stops where it always did, at the transpiler, as a SyntaxError.
        assert.ok(['TypeCheckError', 'SyntaxError'].includes(checked.error?.name ?? ''), `not blocked: ${checked.text}`);
        assert.deepEqual([checked.ok, checked.calls], [false, []]);
        if (checked.error?.name === 'TypeCheckError') {
          assert.ok(checked.diagnostics && checked.diagnostics.length > 0);
          assert.match(checked.text, /^TypeCheckError: the script was not run, so no tool was called\./);
        }
        const unchecked = await t.engine.run(inFolder(write.replace('PROBE', `unchecked-${i}`) + mistake.script), { check: false });
        assert.equal(unchecked.ok, false, `unchecked, it ran without failing: ${unchecked.text}`);
        if (unchecked.error?.kind === 'syntax') {
          unparsable.add(i);
        }
        assert.ok(!(await entityNames()).includes(`checked-${i}`), 'the write of the blocked script happened');
        caught.push(mistake.name);
      });
    });

    it('unchecked, every one that parses wrote and then failed', async () => {
      const names = await entityNames();
      const wrote = mistakes.filter((_, i) => names.includes(`unchecked-${i}`));
      process.stdout.write(
        `      unchecked, ${wrote.length} of ${mistakes.length} mistakes wrote and then failed; ${unparsable.size} did not parse\n`,
      );
      assert.deepEqual(
        mistakes.filter((_, i) => !unparsable.has(i) && !names.includes(`unchecked-${i}`)).map((mistake) => mistake.name),
        [],
        'unchecked runs that failed before their write',
      );
    });
  });

  describe(`${valid.length} valid scripts written the way models write them: checked, they run`, () => {
    valid.forEach((script) => {
      it(script.name, async () => {
        const run = await t.engine.run(inFolder(script.script), { check: true });
        if (run.error?.name === 'TypeCheckError') {
          blockedValid.push(script.name);
        }
        assert.equal(run.ok, true, run.text);
      });
    });

    it('where a plain tsc --strict against the generated .d.ts blocks some of them', async () => {
      const listing = await t.hub.listTools();
      const dir = mkdtempSync(join(tmpdir(), 'codemode-strict-'));
      try {
        writeFileSync(join(dir, 'api.d.ts'), generateDts(listing.servers));
        const files = valid.map((script, i) => {
          writeFileSync(join(dir, `script${i}.ts`), asCheckableModule(inFolder(script.script)));
          return join(dir, `script${i}.ts`);
        });
        const problems = typeCheck([join(dir, 'api.d.ts'), ...files], ['lib.esnext.d.ts']);
        const blocked = files.filter((file) => problems.some((problem) => problem.startsWith(`${file}:`)));
        process.stdout.write(`      plain tsc --strict (lib esnext) would block ${blocked.length} of ${valid.length} valid scripts\n`);
        assert.ok(blocked.length >= 6, `tsc --strict blocks only ${blocked.length}: the corpus is too easy`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
