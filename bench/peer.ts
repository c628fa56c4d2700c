import { CodeModeUtcpClient } from '@utcp/code-mode';
import '@utcp/mcp'; // registers the `mcp` call template type with @utcp/sdk
import { UtcpClientConfigSerializer } from '@utcp/sdk';
import type { BenchServer } from './setup';

export interface PeerRun {
  ok: boolean;
  result: unknown;
  error?: string;
}

const failureMark = '[ERROR] Code execution failed: ';

/**
 * The peer, @utcp/code-mode: isolated-vm in this very process, tools reached through @utcp/mcp's SDK clients.
 * Each server is a manual of its own name holding one MCP server of that name, so a tool is
 * `<server>.<server>_<tool>(args)` in its scripts (its naming: manual, then server and tool joined with `_`).
 *
 * @utcp/sdk and @utcp/mcp write 3 console lines per tool call (and more at start); they are swallowed here and
 * counted, so that the table stays readable. That favours the peer a little: the writes are not paid.
 */
export class Peer {
  /** Console lines the peer wrote (and we swallowed). */
  consoleLines = 0;

  private constructor(private readonly client: CodeModeUtcpClient) {}

  /** Registers one manual per server at creation, as the peer's config does it (in parallel). */
  static async create(servers: readonly BenchServer[]): Promise<Peer> {
    let lines = 0;
    const config = new UtcpClientConfigSerializer().validateDict({
      manual_call_templates: servers.map((server) => ({
        name: server.name,
        call_template_type: 'mcp',
        config: { mcpServers: { [server.name]: { transport: 'stdio', command: server.command, args: server.args, env: server.env } } },
      })),
    });
    const client = await quiet(
      () => CodeModeUtcpClient.create(process.cwd(), config),
      () => lines++,
    );
    const registered = new Set((await client.getTools()).map((tool) => tool.name.split('.')[0]));
    const missing = servers.filter((server) => !registered.has(server.name));
    if (missing.length) {
      throw new Error(`the peer could not register ${missing.map((server) => server.name).join(', ')}`);
    }
    const peer = new Peer(client);
    peer.consoleLines = lines;
    return peer;
  }

  /** Runs a script; its failures come back as a result whose logs carry a marker, which is turned into `error` here. */
  async run(code: string): Promise<PeerRun> {
    const { result, logs } = await quiet(
      () => this.client.callToolChain(code, 30_000, 128),
      () => this.consoleLines++,
    );
    const failure = logs.find((line) => line.startsWith(failureMark));
    return failure ? { ok: false, result, error: failure.slice(failureMark.length) } : { ok: true, result };
  }

  /** Like `run`, but a failed run throws (for timing loops). */
  async runOrThrow(code: string): Promise<unknown> {
    const run = await this.run(code);
    if (!run.ok) {
      throw new Error(`peer run failed: ${run.error}`);
    }
    return run.result;
  }

  /** What the peer gives a model: its agent prompt and the TypeScript interfaces of the tools of `servers`. */
  async modelApi(servers: readonly string[]): Promise<string> {
    const tools = (await this.client.getTools()).filter((tool) => servers.includes(tool.name.split('.')[0]));
    const interfaces = tools.map((tool) => this.client.toolToTypeScriptInterface(tool)).join('\n\n');
    return `${CodeModeUtcpClient.AGENT_PROMPT_TEMPLATE}\n\n${interfaces}`;
  }

  async close(): Promise<void> {
    await quiet(
      () => this.client.close(),
      () => this.consoleLines++,
    );
  }
}

/** Runs `task` with console.log/info/warn/error replaced by `count`. Peer tasks never overlap, so this is safe here. */
async function quiet<T>(task: () => Promise<T>, count: () => void): Promise<T> {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  console.log = console.info = console.warn = console.error = () => count();
  try {
    return await task();
  } finally {
    Object.assign(console, saved);
  }
}
