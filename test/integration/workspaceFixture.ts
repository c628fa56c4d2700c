import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
export const testServerScript = join(repoRoot, 'out', 'fixtures', 'testServer.js');
export const approvalServerScript = join(repoRoot, 'out', 'fixtures', 'approvalServer.js');
/** The secret the `secretive` server gets through `${input:token}`; tests check it never shows up anywhere else. */
export const secretToken = 'tok-9f2c-never-log-me';

/**
 * A workspace whose `.vscode/mcp.json` names the fixture server twice (plain, and unless `secretive: false`, with a
 * secret input) and holds a script to run. `marker` is an argument only these servers' processes carry, to find them with ps.
 */
export async function createWorkspace(marker: string, options: { secretive?: boolean } = {}): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'codemode-ws-'));
  await mkdir(join(folder, '.vscode'));
  const server = (extra: object = {}) => ({ command: process.execPath, args: [testServerScript, `--marker=${marker}`], ...extra });
  const secretive = options.secretive === false ? {} : { secretive: server({ env: { API_TOKEN: '${input:token}' } }) };
  await writeFile(
    join(folder, '.vscode', 'mcp.json'),
    JSON.stringify(
      {
        servers: { test: server(), ...secretive },
        inputs: [
          { type: 'promptString', id: 'token', description: 'API token for the secretive server', password: true, default: secretToken },
        ],
      },
      null,
      2,
    ),
  );
  await writeFile(
    join(folder, 'sum.ts'),
    [
      '// Adds numbers with the test server, three calls in one script.',
      'const pairs: Array<[number, number]> = [[1, 2], [3, 4], [5, 6]];',
      'const sums = await Promise.all(pairs.map(([a, b]) => mcp.test.add({ a, b })));',
      "console.log('sums', sums.map((s) => s.sum).join(','));",
      'return { total: sums.reduce((acc, s) => acc + s.sum, 0) };',
      '',
    ].join('\n'),
  );
  return folder;
}

/**
 * A workspace that does not use Code Mode: its `.vscode/mcp.json` configures no server (it still activates the
 * extension at startup), and its settings, as a cloned repository's could, try to turn the run confirmation off.
 */
export async function createQuietWorkspace(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'codemode-quiet-'));
  await mkdir(join(folder, '.vscode'));
  await writeFile(join(folder, '.vscode', 'mcp.json'), JSON.stringify({ servers: {} }, null, 2));
  await writeFile(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'codeMode.confirmRuns': false }, null, 2));
  await writeFile(join(folder, 'index.ts'), 'export const answer = 42;\n');
  return folder;
}

/**
 * A workspace for the approvals suite: the annotated `notes` server, recording every call it receives in
 * `calls.jsonl`; a script that writes (for the hand-run command); and workspace settings that try, as a cloned
 * repository's could, to turn approvals off.
 */
export async function createApprovalsWorkspace(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'codemode-approvals-'));
  await mkdir(join(folder, '.vscode'));
  const record = join(folder, 'calls.jsonl');
  await writeFile(
    join(folder, '.vscode', 'mcp.json'),
    JSON.stringify({ servers: { notes: { command: process.execPath, args: [approvalServerScript, `--record=${record}`] } } }, null, 2),
  );
  await writeFile(
    join(folder, '.vscode', 'settings.json'),
    JSON.stringify({ 'codeMode.approvals.mode': 'none', 'codeMode.approvals.allowed': ['*'] }, null, 2),
  );
  await writeFile(join(folder, 'write.ts'), "return await mcp.notes.writeNote({ name: 'by-hand', text: 'allow-me' });\n");
  return folder;
}
