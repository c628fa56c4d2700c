// The workspace the agent works in: the benchmark's data (twelve markdown notes, a knowledge graph of forty
// projects, bench/setup.ts) and a `.vscode/mcp.json` naming real MCP servers over it: the published
// server-filesystem and server-memory, and the benchmark's own server.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { prepareData } from '../../bench/setup';

export interface AgentWorkspace {
  folder: string;
  notesDir: string;
  /** server-memory's file: what the scripts wrote to the knowledge graph can be read back from it. */
  memoryFile: string;
  dispose(): Promise<void>;
}

/**
 * The notes sit inside the workspace folder: VS Code's MCP client announces the workspace folder as the MCP
 * root, and server-filesystem then allows only that folder.
 */
export async function createAgentWorkspace(serverNames: readonly string[] = ['bench', 'fs', 'memory']): Promise<AgentWorkspace> {
  const data = await prepareData();
  const folder = dirname(data.notesDir);
  const servers = Object.fromEntries(
    data.servers
      .filter((server) => serverNames.includes(server.name))
      .map((server) => [server.name, { type: 'stdio', command: server.command, args: server.args, env: server.env }]),
  );
  await mkdir(join(folder, '.vscode'), { recursive: true });
  await writeFile(join(folder, '.vscode', 'mcp.json'), JSON.stringify({ servers }, null, 2));
  const memoryFile = data.servers.find((server) => server.name === 'memory')?.env.MEMORY_FILE_PATH ?? join(folder, 'memory.jsonl');
  return { folder, notesDir: data.notesDir, memoryFile, dispose: data.dispose };
}
