import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ElicitRequestSchema,
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type ElicitRequestFormParams,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../config/serverConfig';
import { CodeModeError, ToolError, errorMessage } from '../errors';
import type { Logger } from '../logger';
import type { OAuthProviderFactory } from './auth/oauthProviders';
import { Semaphore } from './semaphore';
import { listAllTools } from './listedTools';
import { acceptEveryOutput } from './outputValidation';
import type { ToolInfo } from './toolInfo';
import { createTransport } from './transport';

export type ServerState = 'idle' | 'connecting' | 'ready' | 'failed' | 'closed';

export interface ServerStatus {
  name: string;
  state: ServerState;
  error?: string;
  toolCount?: number;
}

export interface ConnectionOptions {
  logger: Logger;
  /** Resolves `${...}` variables; only the transport ever sees the result. */
  resolve(config: ServerConfig): Promise<ServerConfig>;
  connectTimeoutMs: number;
  maxConcurrentCalls: number;
  clientInfo: { name: string; version: string };
  onChange(): void;
  /** OAuth for remote servers that answer 401. */
  oauth?: OAuthProviderFactory;
  /** Answers a server's form elicitation; without it the client does not offer elicitation at all. */
  onElicit?: ElicitHandler;
}

/** The SDK fills in the schema's defaults for fields an accepted answer leaves out (SEP-1034). */
export type ElicitHandler = (request: ElicitRequestFormParams, context: { server: string; signal: AbortSignal }) => Promise<ElicitResult>;

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const stderrTailLines = 10;
const maxBackoffMs = 30_000;

/** One MCP server: connected on first use, tools cached until the server says they changed, reconnected after a crash. */
export class ServerConnection {
  private client?: Client;
  private connecting?: Promise<Client>;
  private tools?: Promise<ToolInfo[]>;
  private toolCount?: number;
  private state: ServerState = 'idle';
  private lastError?: string;
  private failures = 0;
  private retryAt = 0;
  private readonly stderrTail: string[] = [];
  private readonly calls: Semaphore;
  /** Calls awaiting an answer, to fail when their response stream is lost. */
  private readonly inFlight = new Set<AbortController>();

  constructor(
    readonly config: ServerConfig,
    private readonly options: ConnectionOptions,
  ) {
    this.calls = new Semaphore(options.maxConcurrentCalls);
  }

  get name(): string {
    return this.config.name;
  }

  status(): ServerStatus {
    return { name: this.name, state: this.state, error: this.lastError, toolCount: this.toolCount };
  }

  listTools(): Promise<ToolInfo[]> {
    this.tools ??= this.fetchTools().catch((error: unknown) => {
      this.tools = undefined;
      throw error;
    });
    return this.tools;
  }

  async callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    return this.calls.run(async () => {
      const client = await this.ensureClient();
      // The SDK never removes its abort listener from a request's signal: a signal shared by a run's calls would,
      // when the run ends, send a cancellation for every call that already completed. Each call gets its own.
      const call = new AbortController();
      const forward = () => call.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', forward, { once: true });
      this.inFlight.add(call);
      try {
        const result = await client.callTool({ name: tool, arguments: args }, undefined, {
          signal: call.signal,
          timeout: options.timeoutMs,
        });
        return result as CallToolResult;
      } catch (error: unknown) {
        throw new ToolError(this.describeCallFailure(error, options.signal), this.name, tool);
      } finally {
        options.signal?.removeEventListener('abort', forward);
        this.inFlight.delete(call);
      }
    }, options.signal);
  }

  async close(): Promise<void> {
    this.state = 'closed';
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  private async fetchTools(): Promise<ToolInfo[]> {
    const client = await this.ensureClient();
    const tools = await listAllTools(this.name, (cursor) => client.listTools(cursor === undefined ? {} : { cursor }), this.options.logger);
    this.toolCount = tools.length;
    return tools;
  }

  private ensureClient(): Promise<Client> {
    if (this.client) {
      return Promise.resolve(this.client);
    }
    if (this.state === 'closed') {
      return Promise.reject(new CodeModeError(`Server "${this.name}" was removed from the configuration`));
    }
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      return Promise.reject(
        new CodeModeError(`Server "${this.name}" is unavailable (${this.lastError}); next attempt in ${Math.ceil(wait / 1000)} s`),
      );
    }
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    this.setState('connecting');
    this.stderrTail.length = 0;
    const { onElicit } = this.options;
    const client = new Client(this.options.clientInfo, {
      capabilities: onElicit ? { elicitation: { form: { applyDefaults: true } } } : {},
      // The engine checks results against output schemas in a worker it can stop (engine/toolGateway.ts).
      jsonSchemaValidator: acceptEveryOutput,
    });
    if (onElicit) {
      // Only form mode is declared, so the SDK refuses URL-mode requests before they get here.
      client.setRequestHandler(ElicitRequestSchema, (request, extra) =>
        onElicit(request.params as ElicitRequestFormParams, { server: this.name, signal: extra.signal }),
      );
    }
    try {
      const { transport, stderr } = createTransport(await this.options.resolve(this.config), this.options.oauth);
      stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk.toString('utf8')));
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        this.options.logger.info(`[${this.name}] tool list changed`);
        this.tools = undefined;
        this.options.onChange();
      });
      client.onclose = () => this.onClosed(client);
      client.onerror = (error) => this.onTransportError(error);
      await client.connect(transport, { timeout: this.options.connectTimeoutMs });
    } catch (error: unknown) {
      await client.close().catch(() => undefined);
      this.failures++;
      this.retryAt = Date.now() + Math.min(maxBackoffMs, 250 * 2 ** this.failures);
      this.lastError = this.withStderr(errorMessage(error).replace(/^MCP error -?\d+: /, ''));
      this.setState('failed');
      this.options.logger.warn(`[${this.name}] could not connect: ${this.lastError}`);
      throw new CodeModeError(`Could not connect to server "${this.name}": ${this.lastError}`);
    }
    if (this.state === 'closed') {
      await client.close().catch(() => undefined);
      throw new CodeModeError(`Server "${this.name}" was removed from the configuration`);
    }
    this.client = client;
    this.failures = 0;
    this.lastError = undefined;
    this.setState('ready');
    const version = client.getServerVersion();
    this.options.logger.info(`[${this.name}] connected (${version?.name ?? 'unknown'} ${version?.version ?? ''})`.trimEnd());
    return client;
  }

  private onClosed(client: Client): void {
    if (this.client !== client) {
      return;
    }
    this.client = undefined;
    this.tools = undefined;
    if (this.state !== 'closed') {
      this.lastError = this.withStderr('the server closed the connection');
      this.setState('failed');
      this.options.logger.warn(`[${this.name}] disconnected: ${this.lastError}; it restarts on next use`);
    }
  }

  /**
   * The SDK reports a response stream that broke without a way to resume it, and leaves its requests waiting until
   * they time out. It does not say which request the stream carried, so every call in flight on this server fails.
   */
  private onTransportError(error: Error): void {
    this.options.logger.debug(`[${this.name}] transport error: ${error.message}`);
    if (/^SSE stream disconnected/.test(error.message)) {
      for (const call of this.inFlight) {
        call.abort(new Error('the server dropped the connection during the call'));
      }
    }
  }

  private onStderr(text: string): void {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim()) {
        this.options.logger.trace(`[${this.name}] ${line}`);
        this.stderrTail.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
        if (this.stderrTail.length > stderrTailLines) {
          this.stderrTail.shift();
        }
      }
    }
  }

  private withStderr(message: string): string {
    const last = this.stderrTail.at(-1);
    return last ? `${message}; last stderr line: ${last}` : message;
  }

  private describeCallFailure(error: unknown, signal?: AbortSignal): string {
    if (signal?.aborted) {
      return 'the call was cancelled';
    }
    if (error instanceof McpError && /dropped the connection/.test(error.message)) {
      return 'the server dropped the connection during the call';
    }
    if (error instanceof McpError) {
      if (error.code === ErrorCode.RequestTimeout) {
        return 'the call timed out';
      }
      if (error.code === ErrorCode.ConnectionClosed) {
        return `the server closed the connection during the call${this.stderrTail.length ? ` (last stderr line: ${this.stderrTail.at(-1)})` : ''}`;
      }
      return error.message.replace(/^MCP error -?\d+: /, '');
    }
    return errorMessage(error);
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.options.onChange();
  }
}
