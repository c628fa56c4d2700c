import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const projectRoot = join(__dirname, '..');
/** Built by `node esbuild.mjs --tests`, as are the other test fixtures. */
export const benchServerScript = join(projectRoot, 'out', 'fixtures', 'benchServer.js');
export const sandboxHostScript = join(projectRoot, 'dist', 'sandboxHost.js');

/** One stdio MCP server, started the same way by every contender. */
export interface BenchServer {
  /** The server id: `mcp.<name>` in Code Mode, the manual name for the peer. */
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface BenchData {
  servers: BenchServer[];
  /** The folder of markdown notes the filesystem server reads. */
  notesDir: string;
  dispose(): Promise<void>;
}

function publishedServer(name: 'filesystem' | 'memory'): string {
  return join(projectRoot, 'node_modules', '@modelcontextprotocol', `server-${name}`, 'dist', 'index.js');
}

/** Starts nothing: writes the data the published servers read and returns how to start the three servers. */
export async function prepareData(): Promise<BenchData> {
  for (const file of [benchServerScript, sandboxHostScript]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run \`node esbuild.mjs --tests\` first (npm run bench does)`);
    }
  }
  const root = await mkdtemp(join(tmpdir(), 'codemode-bench-'));
  const notesDir = join(root, 'notes');
  await mkdir(notesDir);
  await writeNotes(notesDir);
  const memoryFile = join(root, 'memory.jsonl');
  const servers: BenchServer[] = [
    { name: 'bench', command: process.execPath, args: [benchServerScript], env: {} },
    { name: 'fs', command: process.execPath, args: [publishedServer('filesystem'), notesDir], env: {} },
    { name: 'memory', command: process.execPath, args: [publishedServer('memory')], env: { MEMORY_FILE_PATH: memoryFile } },
  ];
  await seedMemory(servers[2]);
  return { servers, notesDir, dispose: () => rm(root, { recursive: true, force: true }) };
}

const topics = ['release planning', 'incident review', 'hiring loop', 'budget draft', 'design critique', 'customer call'];
const sentences = [
  'The team agreed to revisit the open questions next week.',
  'Latency on the checkout path went up after the last deploy and is being tracked.',
  'Two follow-ups were assigned, one of them blocked on the vendor.',
  'We should write down the decision and the reasons behind it before we forget them.',
  'Numbers from the dashboard did not match the ones in the spreadsheet.',
  'Everyone liked the second proposal better, mostly because it is simpler to operate.',
];

/** Twelve markdown notes of 1–3 KB; their sizes differ so that "the longest" has one answer. */
async function writeNotes(dir: string): Promise<void> {
  for (let index = 1; index <= 12; index++) {
    const lines = [`# Note ${index}: ${topics[index % topics.length]}`, ''];
    for (let paragraph = 0; paragraph < 3 + (index % 5); paragraph++) {
      lines.push(Array.from({ length: 4 }, (_, k) => sentences[(index + paragraph + k) % sentences.length]).join(' '), '');
    }
    await writeFile(join(dir, `note-${String(index).padStart(2, '0')}.md`), lines.join('\n'));
  }
}

/** Forty projects in the knowledge graph, through the server's own tool (its file format is its business). */
async function seedMemory(server: BenchServer): Promise<void> {
  const client = new Client({ name: 'codemode-bench-seed', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: server.command,
      args: server.args,
      env: { ...server.env, PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    }),
  );
  try {
    const statuses = ['active', 'paused', 'active', 'done'];
    const entities = Array.from({ length: 40 }, (_, i) => ({
      name: `project-${String(i + 1).padStart(2, '0')}`,
      entityType: 'project',
      observations: [
        `status:${statuses[i % statuses.length]}`,
        `owner:person-${(i * 7) % 9}`,
        `budget:${1_000 + ((i * 7_919) % 50) * 500}`,
        `Started in ${2020 + (i % 6)}; reviewed every quarter by the steering group.`,
      ],
    }));
    await client.callTool({ name: 'create_entities', arguments: { entities } });
  } finally {
    await client.close();
  }
}
