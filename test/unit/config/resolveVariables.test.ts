import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveVariables } from '../../../src/core/config/resolveVariables';
import type { RemoteServerConfig, StdioServerConfig } from '../../../src/core/config/serverConfig';

const stdio = (overrides: Partial<StdioServerConfig>): StdioServerConfig => ({
  name: 's',
  type: 'stdio',
  command: 'node',
  args: [],
  env: {},
  ...overrides,
});

describe('resolveVariables', () => {
  const source = {
    workspaceFolder: '/work/ws',
    env: { HOME_DIR: '/home/me' },
    input: async (id: string) => (id === 'token' ? 's3cret' : undefined),
  };

  it('resolves ${workspaceFolder}, ${env:X} and ${input:ID} in every field', async () => {
    const resolved = await resolveVariables(
      stdio({
        command: '${workspaceFolder}/bin',
        args: ['${env:HOME_DIR}/x', '${env:MISSING}'],
        env: { TOKEN: 'Bearer ${input:token}' },
        cwd: '${workspaceFolder}',
      }),
      source,
    );
    assert.deepEqual(resolved, {
      name: 's',
      type: 'stdio',
      command: '/work/ws/bin',
      args: ['/home/me/x', ''],
      env: { TOKEN: 'Bearer s3cret' },
      envFile: undefined,
      cwd: '/work/ws',
    });
    const remote: RemoteServerConfig = {
      name: 'r',
      type: 'http',
      url: 'http://127.0.0.1/${input:token}',
      headers: { Authorization: '${input:token}' },
    };
    assert.deepEqual(await resolveVariables(remote, source), {
      ...remote,
      url: 'http://127.0.0.1/s3cret',
      headers: { Authorization: 's3cret' },
    });
  });

  it('reads envFile, with env entries taking precedence', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'codemode-env-'));
    await writeFile(join(folder, '.env'), '# comment\nA=from-file\nB="quoted value"\n');
    const resolved = await resolveVariables(stdio({ envFile: '${workspaceFolder}/.env', env: { A: 'from-env' } }), {
      ...source,
      workspaceFolder: folder,
    });
    assert.deepEqual(resolved.env, { A: 'from-env', B: 'quoted value' });
  });

  it('names the field whose variable has no value', async () => {
    await assert.rejects(resolveVariables(stdio({ env: { KEY: '${input:other}' } }), source), {
      name: 'CodeModeError',
      message: 'servers.s.env.KEY: no value for ${input:other}',
    });
    await assert.rejects(
      resolveVariables(stdio({ cwd: '${workspaceFolder}' }), { ...source, workspaceFolder: undefined }),
      /servers\.s\.cwd: \$\{workspaceFolder\} is used but no folder is open/,
    );
    await assert.rejects(
      resolveVariables(stdio({ envFile: '/nonexistent/.env' }), source),
      /servers\.s\.envFile: cannot read \/nonexistent\/\.env/,
    );
  });
});
