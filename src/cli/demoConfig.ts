import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ServerConfig } from '../core/config/serverConfig';

/**
 * The configuration used when no `.vscode/mcp.json` is found: the published reference servers that a checkout
 * installs (devDependencies), started with this Node so no network or npx is needed.
 */
export function demoServers(packageRoot: string): ServerConfig[] {
  const server = (name: string) => join(packageRoot, 'node_modules', '@modelcontextprotocol', `server-${name}`, 'dist', 'index.js');
  return [
    { name: 'fs', type: 'stdio', command: process.execPath, args: [server('filesystem'), '${workspaceFolder}'], env: {} },
    {
      name: 'memory',
      type: 'stdio',
      command: process.execPath,
      args: [server('memory')],
      env: { MEMORY_FILE_PATH: join(tmpdir(), `codemode-demo-memory-${process.pid}.jsonl`) },
    },
    { name: 'everything', type: 'stdio', command: process.execPath, args: [server('everything'), 'stdio'], env: {} },
  ];
}
