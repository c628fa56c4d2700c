import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/cli/loadConfig';
import type { ServerConfig } from '../../../src/core/config/serverConfig';
import { defaultUserMcpJson } from '../../../src/core/config/userMcpJson';

/** A home with VS Code's user mcp.json (Linux layout) and a project with .vscode/mcp.json; either may be left out. */
async function place(files: { user?: object | string; workspace?: object }) {
  const root = await mkdtemp(join(tmpdir(), 'codemode-chain-'));
  const home = join(root, 'home');
  const cwd = join(root, 'project');
  await mkdir(join(home, '.config', 'Code', 'User'), { recursive: true });
  await mkdir(join(cwd, '.vscode'), { recursive: true });
  if (files.user !== undefined) {
    const text = typeof files.user === 'string' ? files.user : JSON.stringify(files.user);
    await writeFile(join(home, '.config', 'Code', 'User', 'mcp.json'), text);
  }
  if (files.workspace) {
    await writeFile(join(cwd, '.vscode', 'mcp.json'), JSON.stringify(files.workspace));
  }
  return { cwd, home, platform: 'linux' as const, env: {} as NodeJS.ProcessEnv };
}

const user = {
  servers: {
    github: { url: 'https://example.invalid/gh', headers: { Authorization: 'Bearer ${input:gh}' } },
    shared: { command: 'user-cmd' },
  },
  inputs: [{ id: 'gh', type: 'promptString', password: true }],
};
const workspace = { servers: { shared: { command: 'workspace-cmd' }, local: { command: 'local-cmd' } } };
const summary = (servers: readonly ServerConfig[]) =>
  servers.map((server) => `${server.name}:${server.type === 'stdio' ? server.command : server.url}`);

describe('CLI configuration chain', () => {
  it("reads the user's VS Code mcp.json, then .vscode/mcp.json, whose server wins a name clash", async () => {
    const config = await loadConfig(undefined, '/pkg', await place({ user, workspace }));
    assert.deepEqual(summary(config.servers), ['github:https://example.invalid/gh', 'shared:workspace-cmd', 'local:local-cmd']);
    assert.deepEqual(
      config.inputs.map((input) => input.id),
      ['gh'],
    );
    assert.match(config.source, /^user mcp\.json \(.*Code[/\\]User[/\\]mcp\.json\) \+ \.vscode[/\\]mcp\.json$/);
  });

  it("uses the user's servers alone where the folder has no .vscode/mcp.json", async () => {
    const config = await loadConfig(undefined, '/pkg', await place({ user }));
    assert.deepEqual(summary(config.servers), ['github:https://example.invalid/gh', 'shared:user-cmd']);
  });

  it('CODEMODE_USER_MCP_JSON=off leaves the user file out; a path names another file', async () => {
    const off = await place({ user, workspace });
    off.env = { CODEMODE_USER_MCP_JSON: 'off' };
    assert.deepEqual(summary((await loadConfig(undefined, '/pkg', off)).servers), ['shared:workspace-cmd', 'local:local-cmd']);

    const other = await place({ workspace });
    const file = join(other.cwd, 'insiders-mcp.json');
    await writeFile(file, JSON.stringify({ servers: { elsewhere: { command: 'other-cmd' } } }));
    other.env = { CODEMODE_USER_MCP_JSON: file };
    assert.deepEqual(summary((await loadConfig(undefined, '/pkg', other)).servers), [
      'elsewhere:other-cmd',
      'shared:workspace-cmd',
      'local:local-cmd',
    ]);
  });

  it('--config FILE is the whole configuration: the user file is not added', async () => {
    const chain = await place({ user, workspace });
    const config = await loadConfig(join('.vscode', 'mcp.json'), '/pkg', chain);
    assert.deepEqual(summary(config.servers), ['shared:workspace-cmd', 'local:local-cmd']);
  });

  it('with neither file, the bundled demo servers', async () => {
    const config = await loadConfig(undefined, '/pkg', await place({}));
    assert.equal(config.source, 'bundled demo servers');
    assert.deepEqual(
      config.servers.map((server) => server.name),
      ['fs', 'memory', 'everything'],
    );
  });

  it("a broken user file is reported by name and the workspace's servers still load", async () => {
    const config = await loadConfig(undefined, '/pkg', await place({ user: '{ "servers": ', workspace }));
    assert.deepEqual(summary(config.servers), ['shared:workspace-cmd', 'local:local-cmd']);
    assert.equal(config.problems.length, 1);
    assert.match(config.problems[0], /^user mcp\.json \(.*\): invalid JSON/);
  });

  it("finds VS Code's user folder as VS Code does on each platform", () => {
    assert.equal(defaultUserMcpJson({}, 'linux', '/h'), join('/h', '.config', 'Code', 'User', 'mcp.json'));
    assert.equal(defaultUserMcpJson({ XDG_CONFIG_HOME: '/x' }, 'linux', '/h'), join('/x', 'Code', 'User', 'mcp.json'));
    assert.equal(defaultUserMcpJson({}, 'darwin', '/h'), join('/h', 'Library', 'Application Support', 'Code', 'User', 'mcp.json'));
    assert.equal(defaultUserMcpJson({ APPDATA: 'C:\\AD' }, 'win32', '/h'), join('C:\\AD', 'Code', 'User', 'mcp.json'));
    assert.equal(defaultUserMcpJson({ VSCODE_APPDATA: '/v' }, 'linux', '/h'), join('/v', 'Code', 'User', 'mcp.json'));
  });
});
