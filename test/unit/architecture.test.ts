import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { projectRoot } from './helpers';

/** The layering the folder tree promises, enforced: core never imports vscode; one sandbox host file loads isolated-vm. */
describe('architecture', () => {
  async function sources(folder: string): Promise<string[]> {
    const entries = await readdir(join(projectRoot, folder), { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => relative(projectRoot, join(entry.parentPath, entry.name)));
  }
  const importsOf = async (file: string) =>
    [...(await readFile(join(projectRoot, file), 'utf8')).matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]);

  it('src/core and the CLI never import vscode', async () => {
    for (const file of [...(await sources('src/core')), ...(await sources('src/cli')), 'src/cli.ts']) {
      assert.ok(!(await importsOf(file)).includes('vscode'), `${file} imports vscode`);
    }
  });

  it('isolated-vm is loaded only by the sandbox host side of src/core/sandbox', async () => {
    const loaders: string[] = [];
    const users: string[] = [];
    for (const file of await sources('src')) {
      const text = await readFile(join(projectRoot, file), 'utf8');
      if (/require\(\s*['"]isolated-vm(-node22)?['"]|^import (?!type )[^;]*from ['"]isolated-vm/m.test(text)) {
        loaders.push(file);
      }
      if ((await importsOf(file)).includes('./isolatedVm')) {
        users.push(file);
      }
    }
    assert.deepEqual(loaders.sort(), ['src/core/sandbox/isolatedVm.ts']);
    assert.deepEqual(users.sort(), ['src/core/sandbox/sandboxHostMain.ts', 'src/core/sandbox/spareIsolate.ts']);
  });

  it('src/core does not reach into the VS Code glue or the CLI', async () => {
    for (const file of await sources('src/core')) {
      for (const specifier of await importsOf(file)) {
        assert.ok(!/\/(host|cli)\//.test(specifier) && !specifier.endsWith('/extension'), `${file} imports ${specifier}`);
      }
    }
  });
});
