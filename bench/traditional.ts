import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { unwrapToolResult } from '../src/core/mcp/toolResult';
import type { BenchServer } from './setup';

/** One tool call as a chat agent would see it: what it sent, and the result text appended to its context. */
export interface CallRecord {
  server: string;
  tool: string;
  args: Record<string, unknown>;
  resultText: string;
  /** Calls of one wave do not depend on each other: a batching agent can make them in one turn. */
  wave: number;
}

/**
 * "Traditional MCP tool calling" measured from the host: plain SDK clients, one per server, calling tools directly.
 * Its timings are the floor any tool-calling scheme pays; with `recording` on it keeps the transcript that the
 * token model replays as a chat agent's turns.
 */
export class DirectClients {
  private readonly clients = new Map<string, Client>();
  private readonly tools = new Map<string, Tool[]>();
  private transcript?: CallRecord[];
  private wave = 0;

  static async connect(servers: readonly BenchServer[]): Promise<DirectClients> {
    const direct = new DirectClients();
    await Promise.all(
      servers.map(async (server) => {
        const client = new Client({ name: 'codemode-bench-direct', version: '1.0.0' });
        const env = { ...server.env, PATH: process.env.PATH ?? '' };
        await client.connect(new StdioClientTransport({ command: server.command, args: server.args, env, stderr: 'pipe' }));
        direct.clients.set(server.name, client);
        // Listing once also lets the SDK validate structured results, as it does for any client that lists first.
        direct.tools.set(server.name, (await client.listTools()).tools);
      }),
    );
    return direct;
  }

  /** The tool definitions a chat agent holds in its context for these servers. */
  definitions(servers: readonly string[]): Array<{ server: string; tool: Tool }> {
    return servers.flatMap((server) => (this.tools.get(server) ?? []).map((tool) => ({ server, tool })));
  }

  /** Calls one tool and unwraps its result the way a Code Mode script receives it. */
  async call(server: string, tool: string, args: Record<string, unknown>): Promise<unknown> {
    const result = (await this.client(server).callTool({ name: tool, arguments: args })) as CallToolResult;
    if (result.isError) {
      throw new Error(`${server}.${tool} failed: ${JSON.stringify(result.content)}`);
    }
    this.transcript?.push({ server, tool, args, resultText: resultText(result), wave: this.wave });
    return unwrapToolResult(result);
  }

  /** Marks a dependency: the calls after this one need the results of the calls before it. */
  nextWave(): void {
    this.wave++;
  }

  /** Runs `steps` once while keeping the transcript of its calls. */
  async record(steps: (direct: DirectClients) => Promise<unknown>): Promise<{ result: unknown; calls: CallRecord[] }> {
    this.transcript = [];
    this.wave = 0;
    try {
      const result = await steps(this);
      return { result, calls: this.transcript };
    } finally {
      this.transcript = undefined;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
  }

  private client(server: string): Client {
    const client = this.clients.get(server);
    if (!client) {
      throw new Error(`no client for server ${server}`);
    }
    return client;
  }
}

/** What a chat host puts in the model's context for a result: its text items (VS Code hands the model those). */
function resultText(result: CallToolResult): string {
  const texts = result.content.filter((item) => item.type === 'text').map((item) => item.text);
  return texts.length === result.content.length ? texts.join('\n') : JSON.stringify(result.content);
}
