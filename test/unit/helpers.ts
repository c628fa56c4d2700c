import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ServerConfig } from '../../src/core/config/serverConfig';
import { Engine } from '../../src/core/engine/engine';
import type { Logger } from '../../src/core/logger';
import { McpHub } from '../../src/core/mcp/hub';
import { SandboxHostExecutor } from '../../src/core/sandbox/launcher/sandboxHostExecutor';

export { waitFor } from '../waitFor';

export const projectRoot = join(__dirname, '..', '..');
/** Built by `node esbuild.mjs --tests` (npm test does it first). */
export const testServerScript = join(projectRoot, 'out', 'fixtures', 'testServer.js');
export const sandboxHostScript = join(projectRoot, 'dist', 'sandboxHost.js');

export function publishedServer(name: 'everything' | 'filesystem' | 'memory'): string {
  return join(projectRoot, 'node_modules', '@modelcontextprotocol', `server-${name}`, 'dist', 'index.js');
}

export function stdioTestServer(name = 'test', extraArgs: string[] = [], env: Record<string, string> = {}): ServerConfig {
  return { name, type: 'stdio', command: process.execPath, args: [testServerScript, ...extraArgs], env };
}

/** A logger that keeps every line, to assert on what was (and was not) logged. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  trace = (message: string) => void this.lines.push(`trace ${message}`);
  debug = (message: string) => void this.lines.push(`debug ${message}`);
  info = (message: string) => void this.lines.push(`info ${message}`);
  warn = (message: string) => void this.lines.push(`warn ${message}`);
  error = (message: string | Error) => void this.lines.push(`error ${String(message)}`);
  text(): string {
    return this.lines.join('\n');
  }
}

export const noInputs = { env: {}, input: async () => undefined };

export interface TestEngine {
  engine: Engine;
  hub: McpHub;
  executor: SandboxHostExecutor;
  logger: RecordingLogger;
  dispose(): Promise<void>;
}

export async function createTestEngine(servers: ServerConfig[], options: { maxConcurrentCalls?: number } = {}): Promise<TestEngine> {
  const logger = new RecordingLogger();
  const hub = new McpHub({ logger, variables: { ...noInputs, workspaceFolder: projectRoot }, ...options });
  await hub.reconcile(servers);
  const executor = new SandboxHostExecutor({ nodePath: process.execPath, hostScript: sandboxHostScript, logger });
  const engine = new Engine(hub, executor, logger);
  return { engine, hub, executor, logger, dispose: async () => void (await Promise.all([executor.dispose(), hub.closeAll()])) };
}

/** Starts a fixture server over HTTP (`--http`) or SSE (`--sse`) in its own process; resolves once it listens. */
export async function startRemoteTestServer(
  mode: '--http' | '--sse',
  script = testServerScript,
  extraArgs: string[] = [],
): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [script, mode, ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  const url = line.replace(/^listening /, '');
  return {
    url,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill();
        await once(child, 'exit');
      }
    },
  };
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Built by `node esbuild.mjs --tests`: the MCP server that attacks its client (test/fixtures/hostileServer.ts). */
export const hostileServerScript = join(projectRoot, 'out', 'fixtures', 'hostileServer.js');

export function hostileServer(name = 'hostile', extraArgs: string[] = []): ServerConfig {
  return { name, type: 'stdio', command: process.execPath, args: [hostileServerScript, ...extraArgs], env: {} };
}
