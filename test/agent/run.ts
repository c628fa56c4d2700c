// End to end with a real chat agent: code-server with our VSIX and the scripted model installed, headless Chromium,
// a workspace whose .vscode/mcp.json names server-filesystem and server-memory. Prompts are typed into the chat
// view in Agent mode (GitHub Copilot Chat, bundled in code-server); the scripted model asks codemode_api for the
// index and the declarations, runs a script with codemode_run, and answers from the result. Every request the
// model received is checked: what it was offered, what came back. Prints `N passed, N failed`; exit code 0/1;
// keeps test-results/agent-chat.png.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tokens } from '../../bench/tokens';
import { waitForOutputChannel } from '../vscode/outputLogs';
import { buildAll, repoRoot } from './build';
import { requestTokens, toolEntryTokens } from './requestTokens';
import { bm25Rank, regexRank } from './toolSearch';
import { AgentSession, type PromptOutcome } from './session';
import { toolResults, type RecordedRequest } from './transcript';
import { createWorkspace, type AgentWorkspace } from './workspace';

const resultsDir = join(repoRoot, 'test-results');
const screenshot = join(resultsDir, 'agent-chat.png');
/** The inline approval of a write, in the chat, while the run waits on it. */
const approvalScreenshot = join(resultsDir, 'agent-approval.png');

interface Check {
  name: string;
  error?: string;
}
const checks: Check[] = [];

async function check(name: string, body: () => void | Promise<void>): Promise<void> {
  try {
    await body();
    checks.push({ name });
    console.log(`  ✓ ${name}`);
  } catch (e: unknown) {
    const error = e instanceof Error ? e.message : String(e);
    checks.push({ name, error });
    console.log(`  ✗ ${name}\n      ${error.split('\n').join('\n      ')}`);
  }
}

// ---- the model's scripts ------------------------------------------------------------------------------------------

const notesScript = (dir: string) => `const dir = ${JSON.stringify(dir)};
const listing = await mcp.fs.listDirectory({ path: dir });
const names = listing.content.split('\\n').filter((line) => line.startsWith('[FILE] ')).map((line) => line.slice(7));
const files = await Promise.all(names.map((name) => mcp.fs.readTextFile({ path: \`\${dir}/\${name}\` })));
const notes = names.map((name, i) => ({
  name,
  title: files[i].content.split('\\n')[0].replace(/^#\\s*/, ''),
  words: files[i].content.split(/\\s+/).filter(Boolean).length,
}));
await mcp.memory.createEntities({
  entities: notes.map((note) => ({ name: note.name, entityType: 'note', observations: [\`title: \${note.title}\`, \`words: \${note.words}\`] })),
});
const longest = notes.reduce((a, b) => (b.words > a.words ? b : a));
return { notes: notes.length, longest };`;

// The first attempt treats list_directory's result as a string (it is `{ content }`): the check before the run stops
// it on line 3, before any call.
const deployScript = (dir: string, fixed: boolean) => `const dir = ${JSON.stringify(dir)};
const listing = await mcp.fs.listDirectory({ path: dir });
const names = listing${fixed ? '.content' : ''}.split('\\n').filter((line) => line.startsWith('[FILE] ')).map((line) => line.slice(7));
const mentioning: string[] = [];
for (const name of names) {
  const file = await mcp.fs.readTextFile({ path: \`\${dir}/\${name}\` });
  if (/\\bdeploy\\b/i.test(file.content)) mentioning.push(name);
}
await mcp.memory.addObservations({ observations: mentioning.map((name) => ({ entityName: name, contents: ['mentions the deploy'] })) });
return { mentioning };`;

const countScript = `const graph = await mcp.memory.searchNodes({ query: 'mentions the deploy' });
return { marked: graph.entities.map((entity) => entity.name).sort() };`;

// ---- expectations computed from the workspace itself ----------------------------------------------------------------

async function expectedNotes(notesDir: string) {
  const names = (await readdir(notesDir)).sort();
  const notes = await Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(notesDir, name), 'utf8');
      return { name, words: text.split(/\s+/).filter(Boolean).length, deploy: /\bdeploy\b/i.test(text) };
    }),
  );
  const longest = notes.reduce((a, b) => (b.words > a.words ? b : a));
  return { count: names.length, longest, mentioning: notes.filter((note) => note.deploy).map((note) => note.name) };
}

const manifestTools = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { languageModelTools: Array<{ name: string; modelDescription: string; inputSchema: unknown }> };
  }
).contributes.languageModelTools;

/** The agent request that first carries the result of the call `callId`. */
function requestWithResult(requests: readonly RecordedRequest[], callId: string): RecordedRequest {
  const found = requests.find((request) => toolResults(request.messages).has(callId));
  assert.ok(found, `no request carries the result of ${callId}`);
  return found;
}

function resultOf(requests: readonly RecordedRequest[], callId: string): string {
  return toolResults(requestWithResult(requests, callId).messages).get(callId)!;
}

// ---- the test -------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = Date.now();
  const built = await buildAll((line) => console.log(line));
  // The servers in codeMode.servers, as the README tells a user: the agent is offered Code Mode, not their own tools.
  const workspace = await createWorkspace(['fs', 'memory'], 'codeModeServers');
  const expected = await expectedNotes(workspace.notesDir);
  let session: AgentSession | undefined;
  try {
    session = await AgentSession.start({
      vsixFiles: [built.codeModeVsix, built.scriptedModelVsix],
      workspace: workspace.folder,
      // Both offerings: prompts 1-3 play the Language Model Tools, prompt 4 the MCP server too.
      settings: { 'codeMode.offer': 'both' },
      log: (line) => console.log(line),
    });
    await mkdir(resultsDir, { recursive: true });
    await firstPrompt(session, workspace, expected);
    await session.showChatForScreenshot(screenshot);
    await session.restoreLayout();
    await secondPrompt(session, workspace, expected);
    await declinedPrompt(session, workspace);
    await thirdPrompt(session, expected);
    await largeResultPrompts(session);
    await check('the Code Mode output channel shows the runs', async () => {
      // Prompt 1 succeeds; prompt 2 fails, then succeeds; prompt 3 succeeds.
      const log = await waitForOutputChannel(
        session!.server.dirs.userData,
        'Code Mode',
        /run from chat succeeded[\s\S]*run from chat failed \([\s\S]*run from chat succeeded[\s\S]*run from chat succeeded/,
        10_000,
      );
      assert.match(log, new RegExp(`run from chat succeeded in [\\d.]+ ms on isolated-vm: ${expected.count + 2} tool call\\(s\\)`));
      assert.match(log, /call memory\.create_entities ok/);
      assert.match(
        log,
        /run from chat failed \(check\)[\s\S]*TypeCheckError: the script was not run[\s\S]*Property 'split' does not exist on type 'FsListDirectoryOutput'/,
      );
    });
    await session.showChatForScreenshot(join(resultsDir, 'agent-chat-end.png'));
  } catch (e: unknown) {
    checks.push({ name: 'the session ran to the end', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    console.log(`  ✗ the session ran to the end\n      ${String(e instanceof Error ? e.stack : e)}`);
    await session?.page.screenshot({ path: join(resultsDir, 'agent-chat-failure.png') }).catch(() => {});
  } finally {
    await session?.stop();
    await workspace.dispose();
  }
  const failed = checks.filter((c) => c.error !== undefined).length;
  console.log(`agent e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshot ${screenshot}`);
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** Confirmation on (the default): api index → declarations → run (confirmed once) → answer. */
async function firstPrompt(
  session: AgentSession,
  workspace: AgentWorkspace,
  expected: Awaited<ReturnType<typeof expectedNotes>>,
): Promise<void> {
  console.log('prompt 1: notes → knowledge graph, codeMode.confirmRuns on');
  const outcome = await session.prompt(
    `Read every note in ${workspace.notesDir}, remember each one in the knowledge graph with its title and word count, and tell me how many there are and which is the longest.`,
    {
      runId: 'p1',
      workflow: 'codeMode',
      params: {
        tools: ['fs.list_directory', 'fs.read_text_file', 'memory.create_entities'],
        declarations: true,
        script: notesScript(workspace.notesDir),
        offering: 'languageModelTools',
      },
    },
    {
      // Two confirmations and VS Code's own risk assessment of each, on a loaded 2-core machine.
      timeoutMs: 180_000,
      whileConfirming: async (title) => {
        if (title.startsWith('Allow ')) {
          await session.page.screenshot({ path: approvalScreenshot });
        }
      },
    },
  );
  const requests = (await session.requests('p1')).filter((request) => request.kind === 'agent');
  const first = requests[0];
  await check('options.tools offers codemode_run and codemode_api as package.json declares them', () => {
    assert.ok(first, 'the model received no agent request');
    // Code Mode's approval tool is its question to the user, never offered to a model.
    assert.ok(!first.tools.some((tool) => tool.name === 'codemode_approveCall'), 'codemode_approveCall is offered to the model');
    for (const declared of manifestTools.filter((tool) => tool.name !== 'codemode_approveCall')) {
      const offered = first.tools.find((tool) => tool.name === declared.name);
      assert.ok(offered, `${declared.name} not offered (offered: ${first.tools.map((tool) => tool.name).join(', ')})`);
      assert.equal(offered.description, declared.modelDescription);
      assert.deepEqual(offered.inputSchema, declared.inputSchema);
    }
    const run = first.tools.find((tool) => tool.name === 'codemode_run')!;
    const api = first.tools.find((tool) => tool.name === 'codemode_api')!;
    const total = requestTokens(first);
    console.log(
      `      tokens (o200k): codemode_run entry ${toolEntryTokens(run)}, codemode_api entry ${toolEntryTokens(api)}; ` +
        `all ${first.tools.length} offered tools ${total.tools}; the first request ${total.input}`,
    );
  });
  await check('codemode_api without arguments returns the compact index of the configured servers', () => {
    const index = resultOf(requests, 'p1_0_0');
    for (const line of [
      'Server "fs"',
      'Server "memory"',
      'mcp.fs.readTextFile(args: { path: string;',
      '("read_text_file")',
      'mcp.memory.createEntities(args: { entities: {',
    ]) {
      assert.ok(index.includes(line), `the index lacks ${line}:\n${index}`);
    }
    assert.ok(
      !(first.tools.find((tool) => tool.name === 'codemode_run')?.description ?? '').includes('mcp.fs.'),
      'the fixed description unexpectedly carries the index',
    );
    console.log(`      the index: ${tokens(index)} tokens, in the codemode_api result`);
  });
  await check('codemode_api with tools returns their TypeScript declarations', () => {
    const declarations = resultOf(requests, 'p1_1_0');
    for (const text of [
      'declare namespace McpApi',
      'readTextFile(args: FsReadTextFileInput)',
      'createEntities(args: MemoryCreateEntitiesInput)',
    ]) {
      assert.ok(declarations.includes(text), `the declarations lack ${text}`);
    }
  });
  await check('the run asked for confirmation once (codeMode.confirmRuns), then paused at its one write and asked inline', () => {
    assert.deepEqual(
      outcome.confirmations.map((shown) => shown.title),
      ['Run this Code Mode script?', 'Allow memory.create_entities?'],
    );
    const text = outcome.confirmations[0].text.replace(/\s+/g, ' ');
    assert.ok(
      text.includes('Reads: fs.list_directory, fs.read_text_file') && text.includes('Writes: memory.create_entities'),
      `the confirmation does not name the tools by what they do:\n${text}`,
    );
    const approval = outcome.confirmations[1].text.replace(/\s+/g, ' ');
    assert.ok(
      approval.includes('calls memory.create_entities, which writes') && approval.includes('"entityType": "note"'),
      `the approval does not show the call and its arguments:\n${approval}`,
    );
    assert.ok(text.includes('const listing = await mcp.fs.listDirectory'), `the confirmation does not show the code:\n${text}`);
  });
  await check("the model's follow-up request carries the condensed result", () => {
    const report = resultOf(requests, 'p1_2_0');
    assert.match(report, /^Result:\n\{"notes":12,"longest":\{"name":"note-\d\d\.md"/);
    assert.match(
      report,
      new RegExp(
        `Tool calls: ${expected.count + 2} \\(fs\\.list_directory ×1, fs\\.read_text_file ×${expected.count}, memory\\.create_entities ×1\\)`,
      ),
    );
    const carrying = requestWithResult(requests, 'p1_2_0');
    assert.equal(carrying, requests[requests.length - 1], 'the result is not in the last request');
    console.log(`      the report: ${report.length} characters for ${expected.count + 2} tool calls`);
  });
  await check('the chat shows the final answer', () => {
    assert.match(outcome.answer, /Done with one Code Mode script \(14 MCP tool calls\)/);
    // The chat renders the JSON in a code block (spaces as no-break spaces).
    assert.ok(outcome.answer.replace(/\s+/g, ' ').includes(`"notes": ${expected.count}`), outcome.answer);
    assert.ok(outcome.answer.includes(expected.longest.name), `the answer lacks ${expected.longest.name}: ${outcome.answer}`);
    console.log(`      answered in ${(outcome.ms / 1000).toFixed(1)} s, ${requests.length} model round trips`);
  });
  await check('the script ran against the real servers (server-memory holds the notes)', async () => {
    const graph = await readFile(workspace.memoryFile, 'utf8');
    assert.ok(graph.includes('"entityType":"note"'), 'no note entity in the memory file');
    assert.ok(graph.includes(`"name":"${expected.longest.name}"`));
    assert.ok(graph.includes(`words: ${expected.longest.words}`));
  });
}

/** Confirmation off: the first script fails, the error comes back as text, the fixed script succeeds. */
async function secondPrompt(
  session: AgentSession,
  workspace: AgentWorkspace,
  expected: Awaited<ReturnType<typeof expectedNotes>>,
): Promise<void> {
  console.log('prompt 2: a script error and its fix, codeMode.confirmRuns off, add_observations always allowed');
  await session.updateSettings({ 'codeMode.confirmRuns': false, 'codeMode.approvals.allowed': ['memory.add_observations'] });
  let outcome: PromptOutcome | undefined;
  await check('with codeMode.confirmRuns false and the write always allowed no confirmation is shown', async () => {
    outcome = await session.prompt('Which of those notes mention the deploy? Mark them in the knowledge graph.', {
      runId: 'p2',
      workflow: 'codeMode',
      params: {
        tools: ['fs.list_directory', 'fs.read_text_file', 'memory.add_observations'],
        script: deployScript(workspace.notesDir, false),
        fixedScript: deployScript(workspace.notesDir, true),
        offering: 'languageModelTools',
      },
    });
    assert.deepEqual(outcome.confirmations, []);
  });
  const requests = (await session.requests('p2')).filter((request) => request.kind === 'agent');
  await check('a script error comes back as text the model can act on', () => {
    const report = resultOf(requests, 'p2_1_0');
    assert.match(
      report,
      /^The script failed: TypeCheckError: the script was not run, so no tool was called\..*\n {0,2}line 3, column 23: Property 'split' does not exist on type 'FsListDirectoryOutput'\. \(TS2339\)/,
    );
    assert.match(report, /listDirectory\(args: FsListDirectoryInput\): Promise<FsListDirectoryOutput>;/);
    assert.match(report, /No tool calls; [\d.]+ ms\.\nFix the script and run it again\.$/);
  });
  await check('the second scripted turn, with the fixed script, succeeds', () => {
    const report = resultOf(requests, 'p2_2_0');
    assert.match(report, /^Result:\n/);
    assert.ok(report.includes(JSON.stringify({ mentioning: expected.mentioning })), report);
    assert.ok(outcome?.answer.includes('"mentioning"'), outcome?.answer);
  });
}

/** The user skips the inline approval of a destructive call: the script gets a ToolError, the server nothing. */
async function declinedPrompt(session: AgentSession, workspace: AgentWorkspace): Promise<void> {
  console.log('prompt 2b: a destructive call the user skips');
  await session.updateSettings({ 'codeMode.approvals.allowed': [] });
  const script = `try { await mcp.memory.deleteEntities({ entityNames: ['note-01.md'] }); return 'deleted'; }
catch (e) { return { name: e.name, message: e.message }; }`;
  const outcome = await session.prompt(
    'Forget note-01.md.',
    { runId: 'p2b', workflow: 'codeMode', params: { tools: ['memory.delete_entities'], script, offering: 'languageModelTools' } },
    { confirmations: (title) => (title.startsWith('Allow ') ? 'skip' : 'allowOnce'), timeoutMs: 180_000 },
  );
  await check('skipped in the chat, the call rejects in the script with a ToolError and never reaches the server', async () => {
    assert.deepEqual(
      outcome.confirmations.map((shown) => shown.title),
      ['Allow memory.delete_entities?'],
    );
    const report = resultOf(
      (await session.requests('p2b')).filter((request) => request.kind === 'agent'),
      'p2b_1_0',
    );
    assert.ok(
      report.startsWith(
        `Result:\n${JSON.stringify({ name: 'ToolError', message: 'memory.delete_entities was not called: declined by the user' })}`,
      ),
      report,
    );
    assert.ok((await readFile(workspace.memoryFile, 'utf8')).includes('"name":"note-01.md"'), 'note-01.md was deleted');
  });
}

/** Confirmation on again, but VS Code's chat.permissions.default is autoApprove: no click needed. */
async function thirdPrompt(session: AgentSession, expected: Awaited<ReturnType<typeof expectedNotes>>): Promise<void> {
  console.log('prompt 3: codeMode.confirmRuns on, chat.permissions.default autoApprove');
  await session.updateSettings({ 'codeMode.confirmRuns': true, 'chat.permissions.default': 'autoApprove' });
  await session.newChat(); // the permission level is taken when a chat starts
  await check('with chat.permissions.default autoApprove the run needs no click', async () => {
    const outcome = await session.prompt('Which notes are marked as mentioning the deploy now?', {
      runId: 'p3',
      workflow: 'codeMode',
      params: { tools: ['memory.search_nodes'], script: countScript, offering: 'languageModelTools' },
    });
    assert.deepEqual(outcome.confirmations, []);
    const report = resultOf(
      (await session.requests('p3')).filter((request) => request.kind === 'agent'),
      'p3_1_0',
    );
    assert.ok(report.startsWith(`Result:\n${JSON.stringify({ marked: expected.mentioning })}`), report);
  });
}

/**
 * A result of about 37 KB, through each offering: it must reach the model's next request as our condensed report
 * (within 8,000 bytes, valid JSON saying how many rows it left out), not diverted by Copilot Chat to a file. Through the
 * MCP server the model writes the script from the API in the run tool's description: two rounds (run, answer).
 */
async function largeResultPrompts(session: AgentSession): Promise<void> {
  for (const [runId, offering, runTurn] of [
    ['p4', 'mcpServer', 0],
    ['p5', 'languageModelTools', 1],
  ] as const) {
    console.log(`prompt ${runId.slice(1)}: a 37 KB result through the ${offering === 'mcpServer' ? 'MCP server' : 'Language Model Tools'}`);
    await session.newChat();
    const outcome = await session.prompt('List every row of the big table.', {
      runId,
      workflow: 'codeMode',
      params: { tools: ['fs.read_text_file'], script: bigResultScript, offering },
    });
    const requests = (await session.requests(runId)).filter((request) => request.kind === 'agent');
    await check(`a 37 KB result reaches the model as the condensed report (${offering})`, () => {
      const report = resultOf(requests, `${runId}_${runTurn}_0`);
      assert.ok(!report.includes('Large tool result'), report.slice(0, 300));
      assert.ok(Buffer.byteLength(report) <= 8_000, `${Buffer.byteLength(report)} bytes`);
      const [heading, json] = report.split('\n');
      assert.match(heading, /^Result \(cut to fit 8,000 bytes; [\d,]+ characters in all; return a smaller summary to see the rest\):$/);
      const rows = JSON.parse(json) as unknown[];
      assert.deepEqual(rows[0], { id: 0, name: 'row 0', note: 'x'.repeat(32) });
      assert.equal(rows.at(-1), `…and ${600 - (rows.length - 1)} more rows`);
      assert.match(outcome.answer, /Done with one Code Mode script/);
      console.log(`      the report: ${Buffer.byteLength(report)} bytes, ${rows.length - 1} of 600 rows`);
    });
    if (offering === 'mcpServer') {
      await check('the MCP server offers run with the API in its description: two rounds, no API call', () => {
        const run = requests[0].tools.find((tool) => tool.name === 'mcp_code_mode_run');
        assert.ok(run, `mcp_code_mode_run not offered (offered: ${requests[0].tools.map((tool) => tool.name).join(', ')})`);
        for (const line of ['Server "fs"', 'Server "memory"', 'mcp.fs.readTextFile(args: { path: string;', 'mcp.memory.createEntities(']) {
          assert.ok(run.description.includes(line), `the description lacks ${line}:\n${run.description}`);
        }
        assert.equal(requests.length, 2, `${requests.length} rounds`);
        console.log(`      mcp_code_mode_run entry: ${toolEntryTokens(run)} tokens`);
      });
      await check("a tool search over the agent's offered tools finds Code Mode's run tool in its top 3", () => {
        const offered = requests[0].tools;
        const searches = [
          ...['read file', 'knowledge graph', 'mcp', 'memory', 'list directory', 'create entities'].map((query) => ({
            query: `bm25 "${query}"`,
            top: bm25Rank(offered, query).slice(0, 3),
          })),
          ...['read.*file', 'knowledge graph', 'mcp', 'memory', 'directory'].map((pattern) => ({
            query: `regex /${pattern}/`,
            top: regexRank(offered, pattern).slice(0, 3),
          })),
        ];
        const missed = searches.filter((search) => !search.top.includes('mcp_code_mode_run'));
        console.log(
          `      ${offered.length} tools offered; ${searches.length - missed.length} of ${searches.length} searches rank mcp_code_mode_run in the top 3`,
        );
        assert.deepEqual(
          missed.map((search) => `${search.query}: ${search.top.join(', ')}`),
          [],
        );
      });
    }
  }
}

const bigResultScript = `return Array.from({ length: 600 }, (_, id) => ({ id, name: \`row \${id}\`, note: 'x'.repeat(32) }));`;

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
