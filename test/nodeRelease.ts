import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = join(__dirname, '..');

/**
 * A Node binary of another major version than the one running the tests, for the sandbox host: the npm registry's
 * `node-<platform>-<arch>` package, installed once into the git-ignored .cache/ (about 30 MB, a few seconds).
 */
export async function nodeRelease(major: number): Promise<string> {
  const folder = join(repoRoot, '.cache', `node${major}-release`);
  const pkg = `node-${process.platform}-${process.arch}`;
  const binary = join(folder, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(binary)) {
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'package.json'), '{ "private": true }\n');
    // The outer npm's npm_* variables (when run under `npm test`) must not steer this install.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
    await run('npm', ['install', '--prefix', folder, '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${major}`], { env });
  }
  return binary;
}
