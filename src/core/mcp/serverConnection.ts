import {
  Client,
  DEFAULT_REQUEST_TIMEOUT_MSEC,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  type CallToolResult,
  type ElicitRequestFormParams,
  type ElicitResult,
  type PriorDiscovery,
} from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/serverConfig';
import { CodeModeError, ToolError, errorMessage } from '../errors';
import type { Logger } from '../logger';
import type { OAuthProviderFactory } from './auth/oauthProviderFactory';
import { Semaphore } from './semaphore';
import { hostLimits } from '../limits';
import { boundedTools } from './listedTools';
import { acceptEveryOutput } from './outputValidation';
import type { ToolInfo } from './toolInfo';
import { awaitTask } from './taskCalls';
import { TaskHandles, tasksExtension } from './taskHandles';
import { createTransport } from './transport';
import type { Transport } from '@modelcontextprotocol/client';

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
  /** Told what a long-running call (a task) reports while it runs. */
  onStatus?(status: string): void;
}

const stderrTailLines = 10;
const maxBackoffMs = 30_000;
/** The SDK's own bound on a server's `ttlMs`: a server cannot pin its list for longer. */
const maxToolsTtlMs = 24 * 60 * 60_000;

/** What a listing says about its freshness: `ttlMs` (2026-07-28) bounds how long the list may be reused. */
interface ToolListing {
  tools: ToolInfo[];
  /** When the list must be fetched again; absent: until the server says it changed. */
  expiresAt?: number;
}

/**
 * One MCP server: connected on first use (2026-07-28 when it speaks it, else the 2025 era, remembered for
 * reconnects), tools cached until the server says they changed or their `ttlMs` runs out, reconnected after a crash.
 */
export class ServerConnection {
  private client?: Client;
  private connecting?: Promise<Client>;
  /** The client and transport of the connect in progress, closed at once by `close()`. */
  private startingClient?: { client: Client; transport: Transport };
  private tools?: Promise<ToolListing>;
  private toolCount?: number;
  private state: ServerState = 'idle';
  private lastError?: string;
  private failures = 0;
  private retryAt = 0;
  /** The protocol era the last connection found: a reconnect skips the probe. */
  private era?: PriorDiscovery;
  private readonly stderrTail: string[] = [];
  private readonly calls: Semaphore;
  /** Calls awaiting an answer, to fail when their response stream is lost. */
  private readonly inFlight = new Set<AbortController>();
  /** Task answers to `tools/call`, which SDK 2.4.0 cannot take itself. */
  private readonly taskHandles = new TaskHandles();

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

  /**
   * The server's tools. A list past its `ttlMs` is fetched again (and a change announced), unless `allowStale`:
   * checking one call's arguments against the list a run started with needs no round trip.
   */
  async listTools(options: { allowStale?: boolean } = {}): Promise<ToolInfo[]> {
    const cached = this.tools;
    if (cached) {
      const listing = await cached.catch(() => undefined);
      if (listing && (options.allowStale || listing.expiresAt === undefined || Date.now() < listing.expiresAt)) {
        return listing.tools;
      }
      if (this.tools === cached) {
        this.tools = undefined;
        this.refetch(listing);
      }
    }
    this.tools ??= this.fetchTools().catch((error: unknown) => {
      this.tools = undefined;
      throw error;
    });
    return (await this.tools).tools;
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
      const started = performance.now();
      const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MSEC;
      try {
        // A 2025-era tool may require the caller to ask for a task (2025-11-25); in 2026 the server decides.
        const asTask =
          client.getProtocolEra() === 'legacy' && (await this.requiresTask(tool)) ? { task: { ttl: Math.ceil(timeoutMs) } } : {};
        const result = await client.callTool({ name: tool, arguments: args, ...asTask }, { signal: call.signal, timeout: timeoutMs });
        const task = this.taskHandles.handleOf(result);
        return task === undefined
          ? result
          : await awaitTask(client, task, {
              signal: call.signal,
              timeoutMs: timeoutMs - (performance.now() - started),
              onStatus: options.onStatus,
              onCancelFailed: (message) => this.options.logger.debug(`[${this.name}] ${message}`),
            });
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
    // A client still connecting is closed now (its connect fails) rather than waited for: a server slow to start
    // must not hold up a reconfiguration or shutdown for the whole connect timeout.
    const starting = this.startingClient;
    this.startingClient = undefined;
    await Promise.all([starting?.client.close(), starting?.transport.close()].map((closing) => closing?.catch(() => undefined)));
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  private async requiresTask(tool: string): Promise<boolean> {
    const tools = await this.listTools({ allowStale: true }).catch(() => []);
    return tools.some((candidate) => candidate.name === tool && candidate.requiresTask);
  }

  /** The list expired: the next one is fetched now, and a listener is told when it differs. */
  private refetch(previous: ToolListing | undefined): void {
    const next = this.fetchTools();
    this.tools = next;
    next.then(
      (listing) => {
        if (previous && JSON.stringify(listing.tools) !== JSON.stringify(previous.tools)) {
          this.options.logger.info(`[${this.name}] tool list changed`);
          this.options.onChange();
        }
      },
      () => {
        if (this.tools === next) {
          this.tools = undefined;
        }
      },
    );
  }

  private async fetchTools(): Promise<ToolListing> {
    const client = await this.ensureClient();
    // Without a cursor the SDK walks every page (at most listMaxPages); Code Mode keeps its own cache, so it always
    // asks the server.
    const result = await client.listTools(undefined, { cacheMode: 'refresh' });
    const tools = boundedTools(this.name, result.tools, this.options.logger);
    this.toolCount = tools.length;
    const ttlMs = (result as { ttlMs?: unknown }).ttlMs;
    return { tools, expiresAt: typeof ttlMs === 'number' ? Date.now() + Math.min(Math.max(ttlMs, 0), maxToolsTtlMs) : undefined };
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
    try {
      return await this.connectOnce();
    } catch (error: unknown) {
      if (!(error instanceof ProbeRefused)) {
        throw error;
      }
      this.options.logger.debug(`[${this.name}] closed on the 2026-07-28 probe; connecting as a 2025-era server`);
      this.era = { kind: 'legacy' };
      return this.connectOnce();
    }
  }

  private async connectOnce(): Promise<Client> {
    this.setState('connecting');
    this.stderrTail.length = 0;
    const client = this.createClient();
    try {
      const { transport, stderr } = createTransport(await this.options.resolve(this.config), this.options.oauth);
      this.taskHandles.watch(transport);
      stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk.toString('utf8')));
      client.onclose = () => this.onClosed(client);
      client.onerror = (error) => this.onTransportError(error);
      this.startingClient = { client, transport };
      await client.connect(transport, { timeout: this.options.connectTimeoutMs, prior: this.era });
      this.startingClient = undefined;
    } catch (error: unknown) {
      this.startingClient = undefined;
      await client.close().catch(() => undefined);
      if (this.state === 'closed') {
        // Closed while connecting: no retry in the other protocol era, no back-off.
        throw new CodeModeError(`Server "${this.name}" was removed from the configuration`);
      }
      if (this.era === undefined && this.config.type === 'stdio' && isProbeClosed(error)) {
        throw new ProbeRefused();
      }
      // The server may have changed what it speaks: the next attempt probes again.
      this.era = undefined;
      this.failures++;
      this.retryAt = Date.now() + Math.min(maxBackoffMs, 250 * 2 ** this.failures);
      this.lastError = this.withStderr(describeConnectFailure(error));
      this.setState('failed');
      this.options.logger.warn(`[${this.name}] could not connect: ${this.lastError}`);
      throw new CodeModeError(`Could not connect to server "${this.name}": ${this.lastError}`);
    }
    if (this.state === 'closed') {
      await client.close().catch(() => undefined);
      throw new CodeModeError(`Server "${this.name}" was removed from the configuration`);
    }
    const discover = client.getDiscoverResult();
    this.era = client.getProtocolEra() === 'modern' && discover ? { kind: 'modern', discover } : { kind: 'legacy' };
    this.client = client;
    this.failures = 0;
    this.lastError = undefined;
    this.setState('ready');
    const version = client.getServerVersion();
    const server = `${version?.name ?? 'unknown'} ${version?.version ?? ''}`.trimEnd();
    this.options.logger.info(`[${this.name}] connected (${server}; protocol ${client.getNegotiatedProtocolVersion() ?? 'unknown'})`);
    return client;
  }

  /**
   * A client that tries 2026-07-28 first (`server/discover`) and falls back to the 2025 `initialize` handshake; the
   * SDK's default would speak 2025 only. Tool list changes arrive as notifications (2025) or on the subscription the
   * SDK opens (2026); either way the cached list is dropped and listeners are told.
   */
  private createClient(): Client {
    const { onElicit } = this.options;
    const client = new Client(this.options.clientInfo, {
      capabilities: {
        ...(onElicit ? { elicitation: { form: { applyDefaults: true } } } : {}),
        // Long-running tools may answer with a task to poll (2026-07-28; see taskCalls.ts).
        extensions: { [tasksExtension]: {} },
      },
      versionNegotiation: { mode: 'auto' },
      // A server that pages its tool list forever is cut off (the SDK then fails the listing with a clear error).
      listMaxPages: hostLimits.maxToolListPages,
      // The engine checks results against output schemas in a worker it can stop (engine/toolGateway.ts).
      jsonSchemaValidator: acceptEveryOutput,
      listChanged: {
        tools: {
          autoRefresh: false,
          debounceMs: 0,
          onChanged: () => {
            this.options.logger.info(`[${this.name}] tool list changed`);
            this.tools = undefined;
            this.options.onChange();
          },
        },
      },
    });
    if (onElicit) {
      // Only form mode is declared, so the SDK refuses URL-mode requests before they get here. In the 2026 era the
      // same handler answers the server's input_required results.
      client.setRequestHandler('elicitation/create', (request, context) =>
        onElicit(request.params as ElicitRequestFormParams, { server: this.name, signal: context.mcpReq.signal }),
      );
    }
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
    const message = errorMessage(error);
    if (/dropped the connection/.test(message)) {
      return 'the server dropped the connection during the call';
    }
    if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
      return 'the call timed out';
    }
    if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) {
      return `the server closed the connection during the call${this.stderrTail.length ? ` (last stderr line: ${this.stderrTail.at(-1)})` : ''}`;
    }
    return error instanceof ProtocolError ? withoutErrorCode(message) : message;
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.options.onChange();
  }
}

/** The reason without the SDK's framing; an HTTP error keeps the start of the body the server sent. */
function describeConnectFailure(error: unknown): string {
  const reason = withoutErrorCode(errorMessage(error)).replace(/^Version negotiation (probe )?failed: /, '');
  const body = error instanceof SdkError ? (error.data as { text?: unknown } | undefined)?.text : undefined;
  return typeof body === 'string' && body.trim() ? `${reason}: ${body.trim().slice(0, 300)}` : reason;
}

/** The SDK prefixes JSON-RPC errors with their code, which says nothing to the reader. */
function withoutErrorCode(message: string): string {
  return message.replace(/^MCP error -?\d+: /, '');
}

/** A stdio server that ended the session on the version probe: some 2025-era SDKs exit on any request before `initialize`. */
class ProbeRefused extends Error {}

function isProbeClosed(error: unknown): boolean {
  return error instanceof SdkError && (error.code === SdkErrorCode.EraNegotiationFailed || error.code === SdkErrorCode.ConnectionClosed);
}
