// Runs inside code-server's real extension host: servers of the user's own mcp.json, and the tools VS Code offers
// (another extension's tools; an MCP server VS Code runs), reached from a script. See ./run.ts for the profile.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../waitFor';
import { testServerScript } from './workspaceFixture';

async function runTool(code: string): Promise<string> {
  const result = await vscode.lm.invokeTool('codemode_run', { input: { code }, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

const api = async () => {
  const result = await vscode.lm.invokeTool('codemode_api', { input: {}, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
};

const setExtensionTools = (patterns: string[]) =>
  vscode.workspace.getConfiguration('codeMode').update('vscodeTools.extensionTools', patterns, vscode.ConfigurationTarget.Global);

describe("The user's servers, without declaring them again", function () {
  this.timeout(90_000);

  it("a server in the user's own mcp.json (the profile's) is usable from a script", async () => {
    const userMcpJson = join(process.env.VSCODE_TEST_USER_DATA_DIR!, 'User', 'mcp.json');
    await writeFile(
      userMcpJson,
      JSON.stringify({
        servers: { mine: { command: process.execPath, args: [testServerScript, `--marker=${process.env.CODEMODE_TEST_MARKER}`] } },
      }),
    );
    await waitFor(
      async () => {
        const report = await runTool('return { userServerSum: (await mcp.mine.add({ a: 2, b: 3 })).sum };');
        return /"userServerSum": ?5\b/.test(report);
      },
      60_000,
      "the user's server in a run",
    );
  });

  it("another extension's tool is callable when opted in, and invisible otherwise; a terminal tool is not matched by a wildcard", async () => {
    await setExtensionTools(['fixture_*']);
    await waitFor(
      () => vscode.lm.tools.some((tool) => tool.name === 'fixture_lookup'),
      30_000,
      'the fixture extension registers its tools',
    );
    const opted = await runTool(
      'const found = await mcp.vscode.fixtureLookup({ word: "code" }); const terminal = await mcp.call("vscode", ["fixture", "runInTerminal"].join("_"), { command: "ls" }).catch((e) => "refused: " + e.message); return { found, terminal };',
    );
    assert.match(opted, /"length": ?4/, opted);
    assert.match(opted, /"upper": ?"CODE"/, opted);
    assert.match(opted, /refused: Unknown tool \\?"fixture_runInTerminal\\?" on server \\?"vscode\\?"/, opted);
    assert.match(await api(), /mcp\.vscode\.fixtureLookup\(/);
    assert.doesNotMatch(await api(), /fixtureRunInTerminal/);

    await setExtensionTools([]);
    const index = await api();
    assert.doesNotMatch(index, /fixtureLookup/, index);
    const hidden = await runTool(
      'return await mcp.call("vscode", ["fixture", "lookup"].join("_"), { word: "code" }).catch((e) => "refused: " + e.message);',
    );
    // With no VS Code tool to offer, the script is not even run: the check finds no server "vscode".
    assert.match(hidden, /refused: Unknown tool \\?"fixture_lookup\\?"|there is no server \\?"vscode\\?"/, hidden);
    assert.doesNotMatch(hidden, /CODE/, hidden);

    await setExtensionTools(['fixture_runInTerminal']);
    const named = await runTool('return await mcp.vscode.fixtureRunInTerminal({ command: "ls" });');
    assert.match(named, /ran ls/, named);
    await setExtensionTools([]);
  });

  it('an MCP tool of a server VS Code runs (another extension provides it) is callable through VS Code', async () => {
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true, promptType: 'never' });
    await waitFor(
      () => vscode.lm.tools.some((tool) => tool.tags.includes('mcp') && tool.name.endsWith('_read_graph')),
      60_000,
      "VS Code lists the memory server's tools",
    );
    const readGraph = vscode.lm.tools.find((tool) => tool.tags.includes('mcp') && tool.name.endsWith('_read_graph'))!.name;
    const report = await runTool(
      `await mcp.call('vscode', ${JSON.stringify(readGraph.replace('read_graph', 'create_entities'))}, { entities: [{ name: 'probe', entityType: 'test', observations: ['seen'] }] }); return await mcp.call('vscode', ${JSON.stringify(readGraph)}, {});`,
    );
    assert.match(report, /"name": ?"probe"/, report);
    // VS Code runs the user's own server too (it reads the same mcp.json); a script is offered it once, as mcp.mine.
    assert.ok(
      vscode.lm.tools.some((tool) => tool.tags.includes('mcp') && tool.name.endsWith('_add')),
      "VS Code lists its own copy of the user's server",
    );
    const index = await api();
    assert.match(index, /listed only once VS Code has started them/, 'the index says how VS Code servers are started');
    assert.match(index, /mcp\.mine\.add\(/);
    assert.doesNotMatch(index, /mcp\.vscode\.\w*Add\(/, index);
  });
});
