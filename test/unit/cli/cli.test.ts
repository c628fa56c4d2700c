import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { asCheckableModule, typeCheck } from '../compileTypeScript';
import { projectRoot, publishedServer, testServerScript } from '../helpers';
import { codemode } from './runCli';

async function workspace(config: object): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'codemode-cli-'));
  await mkdir(join(folder, '.vscode'));
  await writeFile(join(folder, '.vscode', 'mcp.json'), JSON.stringify(config));
  return folder;
}

const testServer = { command: process.execPath, args: [testServerScript] };

describe('codemode CLI', () => {
  it('run --json prints one object with result, logs, calls and stats (exit 0)', async () => {
    const cwd = await workspace({ servers: { test: testServer } });
    await writeFile(join(cwd, 'script.ts'), `const r = await mcp.test.add({ a: 20, b: 22 });\nconsole.log('sum', r.sum);\nreturn r;`);
    const outcome = await codemode(['run', 'script.ts', '--json'], { cwd });
    assert.equal(outcome.code, 0, outcome.stderr);
    const json = JSON.parse(outcome.stdout);
    assert.deepEqual(
      { ...json, calls: json.calls.map((c: { ms: number }) => ({ ...c, ms: typeof c.ms })), stats: Object.keys(json.stats).sort() },
      {
        ok: true,
        result: { sum: 42 },
        logs: [{ level: 'log', text: 'sum 42' }],
        calls: [{ server: 'test', tool: 'add', ms: 'number', ok: true }],
        stats: ['backend', 'calls', 'droppedLogs', 'durationMs', 'resultChars', 'truncated'],
      },
    );
  });

  it('run prints the result on stdout and logs on stderr; a failing script exits 1 with line and column', async () => {
    const cwd = await workspace({ servers: { test: testServer } });
    const ok = await codemode(['run', '-'], { cwd, stdin: `console.log('hi'); return 'plain text'` });
    assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, 'plain text\n', '[log] hi\n']);
    const failed = await codemode(['run', '-', '--json'], { cwd, stdin: `\nthrow new Error('nope')` });
    assert.equal(failed.code, 1);
    assert.deepEqual(JSON.parse(failed.stdout).error, { name: 'Error', message: 'nope', line: 2, column: 7 });
    const timeout = await codemode(['run', '-', '--timeout', '300'], { cwd, stdin: 'while (true) {}' });
    // The wait for servers takes at most half the limit: a server not up by then is left out, and said so.
    assert.equal(timeout.code, 1);
    assert.match(
      timeout.stderr,
      /^(\[warn\] \[test\] left out of this run's API: still starting after 150 ms; mcp\.call reaches it once it is up\n)?TimeoutError: The run exceeded its 300 ms time limit and was stopped\n$/,
    );
  });

  it('exits 2 on usage and configuration errors', async () => {
    const cwd = await workspace({ servers: { test: testServer } });
    assert.equal((await codemode(['frobnicate'], { cwd })).code, 2);
    assert.equal((await codemode(['run'], { cwd })).code, 2);
    const badFlag = await codemode(['run', '-', '--timeout', 'soon'], { cwd });
    assert.deepEqual(
      [badFlag.code, badFlag.stderr.split('\n')[0]],
      [2, 'codemode: --timeout needs a positive whole number, received "soon"'],
    );
    const missing = await codemode(['run', 'missing.ts'], { cwd });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the script missing\.ts/);
    await writeFile(join(cwd, 'latin1.ts'), Buffer.from([0x72, 0x65, 0x74, 0x75, 0x72, 0x6e, 0x20, 0x27, 0xe9, 0x27]));
    const notUtf8 = await codemode(['run', 'latin1.ts'], { cwd });
    assert.deepEqual([notUtf8.code, notUtf8.stderr.trim()], [2, 'codemode: The script latin1.ts is not valid UTF-8 text']);
    await writeFile(join(cwd, 'broken.json'), '{ "servers": ');
    const broken = await codemode(['tools', '--config', 'broken.json'], { cwd });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json: invalid JSON/);
  });

  it('skips a bad server entry with a warning and keeps the others', async () => {
    const cwd = await workspace({ servers: { test: testServer, bad: { command: 42 } } });
    const outcome = await codemode(['tools', '--json'], { cwd });
    assert.equal(outcome.code, 0);
    assert.match(outcome.stderr, /servers\.bad\.command: expected string, received number \(skipped\)/);
    const { servers } = JSON.parse(outcome.stdout);
    assert.deepEqual(
      servers.map((s: { name: string; state: string }) => [s.name, s.state]),
      [['test', 'ready']],
    );
    assert.deepEqual(servers[0].tools[0], { name: 'echo', call: 'mcp.test.echo', description: 'Returns its text.' });
  });

  it('reads ${input:ID} from CODEMODE_INPUT_<ID>, and never shows it', async () => {
    const cwd = await workspace({
      servers: { test: { ...testServer, env: { API_TOKEN: '${input:api-token}' } } },
      inputs: [{ type: 'promptString', id: 'api-token', password: true }],
    });
    const secret = 'tok-1234567890';
    const outcome = await codemode(['run', '-', '--json'], {
      cwd,
      stdin: `return await mcp.test.envValue({ name: 'API_TOKEN' })`,
      env: { CODEMODE_INPUT_API_TOKEN: secret, CODEMODE_LOG: 'trace' },
    });
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(JSON.parse(outcome.stdout).result, { set: true, length: secret.length });
    assert.doesNotMatch(outcome.stdout + outcome.stderr, new RegExp(secret));
  });

  it("falls back to the bundled QuickJS sandbox when no Node isolated-vm has a build for exists (the machine's own Node 20)", async function () {
    const oldNode = olderNodeOnPath();
    if (oldNode === undefined) {
      console.log("      (skipped: this test needs a Node older than 22 on PATH, like the machine's own Node 20 on CI)");
      this.skip();
    }
    const cwd = await workspace({ servers: { test: testServer } });
    const outcome = await codemode(['run', '-', '--json'], {
      cwd,
      node: oldNode,
      stdin: `const r = await mcp.test.add({ a: 1, b: 2 }); return r.sum as number;`,
      env: { PATH: `${dirname(oldNode)}:/usr/bin:/bin`, CODEMODE_NODE: '' },
    });
    assert.equal(outcome.code, 0, outcome.stderr);
    const json = JSON.parse(outcome.stdout);
    assert.deepEqual([json.result, json.stats.backend], [3, 'quickjs']);
    assert.match(outcome.stderr, /no Node 22, 24 or 26 found .*QuickJS \(WASM\) fallback/);
  });

  describe('with the published reference servers (the bundled demo configuration)', () => {
    it('types prints a .d.ts for server-everything, server-filesystem and server-memory that compiles, and the examples type-check against it', async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'codemode-types-'));
      const outcome = await codemode(['types'], { cwd });
      assert.equal(outcome.code, 0, outcome.stderr);
      for (const expected of ['readTextFile(', 'createEntities(', 'getSum(', 'declare const mcp']) {
        assert.ok(outcome.stdout.includes(expected), `missing ${expected}`);
      }
      await writeFile(join(cwd, 'api.d.ts'), outcome.stdout);
      const files = [join(cwd, 'api.d.ts')];
      for (const example of (await readdir(join(projectRoot, 'examples'))).filter((name) => name.endsWith('.ts'))) {
        const source = await readFile(join(projectRoot, 'examples', example), 'utf8');
        await writeFile(join(cwd, example), asCheckableModule(source));
        files.push(join(cwd, example));
      }
      assert.deepEqual(typeCheck(files), []);
    });

    it('run --json reads files with the filesystem server, stores facts in the memory server and returns a summary', async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'codemode-demo-'));
      await writeFile(join(cwd, 'alpha.md'), '# Alpha\nfirst\nsecond\n');
      await writeFile(join(cwd, 'beta.md'), '# Beta\n');
      await mkdir(join(cwd, '.vscode'));
      await writeFile(
        join(cwd, '.vscode', 'mcp.json'),
        JSON.stringify({
          servers: {
            fs: { command: process.execPath, args: [publishedServer('filesystem'), '${workspaceFolder}'] },
            memory: { command: process.execPath, args: [publishedServer('memory')], env: { MEMORY_FILE_PATH: join(cwd, 'memory.jsonl') } },
          },
        }),
      );
      const script = `
        const listing = await mcp.fs.listDirectory({ path: '${cwd}' });
        const names = listing.content.split('\\n').filter((l) => l.startsWith('[FILE]') && l.endsWith('.md')).map((l) => l.slice(7));
        const texts = await Promise.all(names.map((name) => mcp.fs.readTextFile({ path: '${cwd}/' + name })));
        await mcp.memory.createEntities({ entities: names.map((name, i) => ({ name, entityType: 'doc', observations: [texts[i].content.split('\\n')[0]] })) });
        const found = await mcp.memory.searchNodes({ query: 'Alpha' });
        return { files: names, titles: texts.map((t) => t.content.split('\\n')[0]), found: found.entities.map((e) => e.name) };
      `;
      // create_entities writes (server-memory's annotations say so): a run that cannot ask needs it approved.
      const outcome = await codemode(['run', '-', '--json', '--approve', 'memory.create_entities'], { cwd, stdin: script });
      assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
      const json = JSON.parse(outcome.stdout);
      assert.deepEqual(json.result, { files: ['alpha.md', 'beta.md'], titles: ['# Alpha', '# Beta'], found: ['alpha.md'] });
      assert.deepEqual(
        json.calls.map((call: { server: string; tool: string; ok: boolean }) => `${call.server}.${call.tool}:${call.ok}`),
        [
          'fs.list_directory:true',
          'fs.read_text_file:true',
          'fs.read_text_file:true',
          'memory.create_entities:true',
          'memory.search_nodes:true',
        ],
      );
    });
  });
});

/** The machine's own Node (20 on CI), found on PATH outside node_modules, where npm puts its Node 24. */
function olderNodeOnPath(): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder.includes('node_modules')) {
      continue;
    }
    try {
      const version = execFileSync(join(folder, 'node'), ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      if (Number(version.split('.')[0]) < 22) {
        return join(folder, 'node');
      }
    } catch {
      // No node there.
    }
  }
  return undefined;
}
