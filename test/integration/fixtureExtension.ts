import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './workspaceFixture';

/** Packs test/fixtures/toolExtension (another extension's tools and MCP server) into a VSIX to install in the profile. */
export async function fixtureExtension(): Promise<string> {
  const out = join(repoRoot, 'out', 'fixture-tools.vsix');
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  await promisify(execFile)(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], {
    cwd: join(repoRoot, 'test', 'fixtures', 'toolExtension'),
  });
  return out;
}

/** What the fixture extension's MCP server definition needs: the published memory server and a file of its own. */
export const fixtureExtensionEnv = () => ({
  CODEMODE_TEST_MEMORY_SERVER: join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js'),
  CODEMODE_TEST_MEMORY_FILE: join(tmpdir(), `codemode-fixture-memory-${process.pid}.jsonl`),
});
