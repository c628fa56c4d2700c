import type { CallToolResult } from '@modelcontextprotocol/client';
import { resolveVariables, type VariableSource } from '../config/resolveVariables';
import { fingerprint, type ServerConfig } from '../config/serverConfig';
import { defaultMaxConcurrentCalls } from '../defaults';
import { ToolError, errorMessage } from '../errors';
import { silentLogger, type Logger } from '../logger';
import type { OAuthProviderFactory } from './auth/oauthProviderFactory';
import { ServerConnection, type ElicitHandler, type ServerStatus } from './serverConnection';
import type { ServerTools, ToolInfo } from './toolInfo';
import type { SourceCallOptions, ToolSource } from './toolSource';

export interface HubOptions {
  logger?: Logger;
  variables: VariableSource;
  connectTimeoutMs?: number;
  /** Calls in flight per server; more wait their turn. */
  maxConcurrentCalls?: number;
  clientInfo?: { name: string; version: string };
  /** OAuth for remote servers that answer 401 (see auth/oauthProviderFactory.ts); without it they fail to connect. */
  oauth?: OAuthProviderFactory;
  /** Answers servers' form elicitations; without it the client does not declare elicitation, so servers must not ask. */
  onElicit?: ElicitHandler;
}

export interface ToolListing {
  servers: ServerTools[];
  /** Servers whose tools could not be listed, with the reason. */
  failures: Array<{ server: string; message: string }>;
}

/** The MCP clients of every configured server; credentials and processes stay here, on the host side. */
export class McpHub {
  private readonly connections = new Map<string, ServerConnection>();
  private sources: readonly ToolSource[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly logger: Logger;

  constructor(private readonly options: HubOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Starts tracking new servers, closes removed ones, restarts changed ones. Connections open on first use. */
  async reconcile(configs: readonly ServerConfig[]): Promise<void> {
    const wanted = new Map(configs.map((config) => [config.name, config]));
    const closing: Array<Promise<void>> = [];
    for (const [name, connection] of this.connections) {
      const next = wanted.get(name);
      if (!next || fingerprint(next) !== fingerprint(connection.config)) {
        this.logger.info(`[${name}] ${next ? 'configuration changed, restarting' : 'removed'}`);
        this.connections.delete(name);
        closing.push(connection.close());
      }
    }
    for (const config of configs) {
      if (!this.connections.has(config.name)) {
        this.connections.set(config.name, this.createConnection(config));
      }
    }
    this.emitChange();
    await Promise.all(closing);
  }

  /** Closes every server; each starts again on next use. */
  async restart(): Promise<void> {
    const configs = [...this.connections.values()].map((connection) => connection.config);
    await this.closeAll();
    await this.reconcile(configs);
  }

  /**
   * Tools from elsewhere than the configured servers (the editor's), each a namespace of its own; listed after the
   * servers. A configured server of the same name wins: the source is left out.
   */
  setSources(sources: readonly ToolSource[]): void {
    this.sources = sources;
    this.emitChange();
  }

  serverNames(): string[] {
    return [...this.connections.keys(), ...this.activeSources().map((source) => source.name)];
  }

  status(): ServerStatus[] {
    return [...this.connections.values()].map((connection) => connection.status());
  }

  /**
   * Lists every server's tools, connecting as needed; a server that fails is reported, not fatal. With `waitMs`, a
   * server still starting after that long is reported too (it goes on starting), so one slow server cannot hold up
   * a run that does not need it.
   */
  async listTools(options: { waitMs?: number } = {}): Promise<ToolListing> {
    const entries = [...this.connections.values()];
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      if (options.waitMs !== undefined) {
        const waitMs = options.waitMs;
        timer = setTimeout(() => reject(new Error(`still starting after ${waitMs} ms; mcp.call reaches it once it is up`)), waitMs);
      }
    });
    late.catch(() => undefined);
    try {
      const settled = await Promise.allSettled(entries.map((connection) => Promise.race([connection.listTools(), late])));
      const listing: ToolListing = { servers: [], failures: [] };
      settled.forEach((outcome, index) => {
        const server = entries[index].name;
        if (outcome.status === 'fulfilled') {
          listing.servers.push({ server, tools: outcome.value });
        } else {
          listing.failures.push({ server, message: errorMessage(outcome.reason) });
        }
      });
      const served = [...listing.servers];
      for (const source of this.activeSources()) {
        try {
          const { tools, note } = await source.listTools(served);
          // A source with nothing to offer is left out, as a workspace without servers has no API at all.
          if (tools.length > 0) {
            listing.servers.push({ server: source.name, tools, ...(note === undefined ? {} : { note }) });
          }
        } catch (error: unknown) {
          listing.failures.push({ server: source.name, message: errorMessage(error) });
        }
      }
      return listing;
    } finally {
      clearTimeout(timer);
    }
  }

  async findTool(server: string, tool: string): Promise<ToolInfo> {
    const source = this.source(server);
    const tools = source ? (await source.listTools([])).tools : await this.connection(server, tool).listTools({ allowStale: true });
    const found = tools.find((candidate) => candidate.name === tool);
    if (!found) {
      const names = tools.map((candidate) => candidate.name);
      const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '');
      throw new ToolError(`Unknown tool "${tool}" on server "${server}" (it has: ${shown || 'no tools'})`, server, tool);
    }
    return found;
  }

  callTool(server: string, tool: string, args: Record<string, unknown>, options: SourceCallOptions = {}): Promise<CallToolResult> {
    const source = this.source(server);
    if (source) {
      return source.callTool(tool, args, options);
    }
    return this.connection(server, tool).callTool(tool, args, options);
  }

  /** Called when a server's state or tool list changes. Returns the unsubscribe function. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async closeAll(): Promise<void> {
    const connections = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(connections.map((connection) => connection.close()));
  }

  private activeSources(): ToolSource[] {
    return this.sources.filter((source) => !this.connections.has(source.name));
  }

  private source(server: string): ToolSource | undefined {
    return this.activeSources().find((source) => source.name === server);
  }

  private connection(server: string, tool: string): ServerConnection {
    const connection = this.connections.get(server);
    if (!connection) {
      const known = this.serverNames().join(', ') || 'none';
      throw new ToolError(`Unknown server "${server}" (configured: ${known})`, server, tool);
    }
    return connection;
  }

  private createConnection(config: ServerConfig): ServerConnection {
    return new ServerConnection(config, {
      logger: this.logger,
      resolve: (raw) => resolveVariables(raw, this.options.variables),
      connectTimeoutMs: this.options.connectTimeoutMs ?? 30_000,
      maxConcurrentCalls: this.options.maxConcurrentCalls ?? defaultMaxConcurrentCalls,
      clientInfo: this.options.clientInfo ?? { name: 'code-mode', version: '0.1.0' },
      onChange: () => this.emitChange(),
      oauth: this.options.oauth,
      onElicit: this.options.onElicit,
    });
  }

  private emitChange(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error: unknown) {
        this.logger.error(`change listener failed: ${errorMessage(error)}`);
      }
    }
  }
}
