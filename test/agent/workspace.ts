// The workspace the agent works in: the benchmark's data (twelve markdown notes, a knowledge graph of forty
// projects, bench/setup.ts) and a `.vscode/mcp.json` naming real MCP servers over it: the published
// server-filesystem and server-memory, and the benchmark's own server.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { prepareData } from '../../bench/setup';

export interface AgentWorkspace {
  folder: string;
  notesDir: string;
  /** server-memory's file: what the scripts wrote to the knowledge graph can be read back from it. */
  memoryFile: string;
  /** The servers as `.vscode/mcp.json`'s `servers` names them, for placeServers. */
  servers: Record<string, unknown>;
  dispose(): Promise<void>;
}

/**
 * The notes sit inside the workspace folder: VS Code's MCP client announces the workspace folder as the MCP
 * root, and server-filesystem then allows only that folder.
 */
export async function createAgentWorkspace(serverNames: readonly string[] = ['bench', 'fs', 'memory']): Promise<AgentWorkspace> {
  return createWorkspace(serverNames, 'mcpJson');
}

/**
 * Where the servers are configured: `.vscode/mcp.json`, which VS Code's own MCP client reads too (it starts them and
 * offers their tools to the agent), or `codeMode.servers` in `.vscode/settings.json`, which only Code Mode reads:
 * what a user does to keep the wrapped servers' tools out of the agent's list (README).
 */
export type ServerPlacement = 'mcpJson' | 'codeModeServers';

export async function createWorkspace(serverNames: readonly string[], placement: ServerPlacement): Promise<AgentWorkspace> {
  const data = await prepareData({ github: serverNames.includes('github') });
  const folder = dirname(data.notesDir);
  const servers = Object.fromEntries(
    data.servers
      .filter((server) => serverNames.includes(server.name))
      .map((server) => [server.name, { type: 'stdio', command: server.command, args: server.args, env: server.env }]),
  );
  await placeServers(folder, servers, placement);
  const memoryFile = data.servers.find((server) => server.name === 'memory')?.env.MEMORY_FILE_PATH ?? join(folder, 'memory.jsonl');
  return { folder, notesDir: data.notesDir, memoryFile, servers, dispose: data.dispose };
}

/** Writes the servers where `placement` says, and removes them from the other place. */
export async function placeServers(folder: string, servers: Record<string, unknown>, placement: ServerPlacement): Promise<void> {
  await mkdir(join(folder, '.vscode'), { recursive: true });
  const [keep, drop] = placement === 'mcpJson' ? ['mcp.json', 'settings.json'] : ['settings.json', 'mcp.json'];
  const content = placement === 'mcpJson' ? { servers } : { 'codeMode.servers': servers };
  await writeFile(join(folder, '.vscode', keep), JSON.stringify(content, null, 2));
  await rm(join(folder, '.vscode', drop), { force: true });
}
