import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ApprovalPolicy, CallToApprove } from '../approval/approvalPolicy';
import { describeApi } from '../codegen/apiIndex';
import { elicitApprovals } from './elicitApproval';
import type { Engine } from '../engine/engine';
import { modelReport } from '../engine/modelReport';
import { logRun } from '../engine/runLog';
import { errorMessage } from '../errors';
import type { Logger } from '../logger';
import type { McpHub } from '../mcp/hub';
import { apiDescription, compactIndex, runDescription } from './toolDescriptions';

export interface CodeModeServerOptions {
  hub: McpHub;
  engine: Engine;
  logger: Logger;
  /** UTF-8 bytes of a run's report (modelReport), read at each run. */
  reportBytes: () => number;
  /** Limits of each run; the engine's defaults when absent. */
  limits?: () => { timeoutMs?: number; memoryMb?: number };
  /** Resolves once the configured servers have been started (VS Code's ServerManager), before listing tools. */
  settled?: () => Promise<void>;
  /** Which calls need the user's approval, read at each run; asked through the client (elicitation). */
  approvalPolicy: () => ApprovalPolicy;
  /** Why a call is refused when the client cannot ask: names the setting or flag that approves it. */
  refusal: (call: CallToApprove) => string;
  /** How long a first listing waits for servers still starting. */
  listWaitMs?: number;
  version: string;
}

/**
 * Code Mode as an MCP server: a `run` tool whose description carries the API of the configured servers (so a model
 * writes its script without asking for the API first: two rounds, not three) and an `api` tool for full
 * declarations. One McpServer per client session; all of them follow the hub, announcing a changed API with
 * `notifications/tools/list_changed`.
 */
export class CodeModeServer {
  private readonly runTools = new Set<RegisteredTool>();
  private description: string | undefined;
  private refreshing: Promise<void> | undefined;
  private changed = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: CodeModeServerOptions) {
    this.unsubscribe = options.hub.onDidChange(() => void this.refresh());
  }

  /** A server for one client session, its `run` description current. */
  async create(): Promise<McpServer> {
    const description = this.description ?? (await this.currentDescription());
    this.description = description;
    const server = new McpServer({ name: 'codemode', title: 'Code Mode', version: this.options.version });
    const runTool = server.registerTool(
      'run',
      {
        title: 'Code Mode: run script',
        description,
        inputSchema: {
          code: z
            .string()
            .describe(
              'The TypeScript or JavaScript script: the body of an async function. Use `await mcp.<server>.<tool>(args)` and `return` the result.',
            ),
        },
      },
      async ({ code }, extra) => this.run(server, code, extra),
    );
    server.registerTool(
      'api',
      {
        title: 'Code Mode: API declarations',
        description: apiDescription,
        inputSchema: { tools: z.array(z.string()).optional().describe('`server.tool` names (e.g. `fs.readTextFile`) or server names.') },
        annotations: { readOnlyHint: true },
      },
      async ({ tools }) => {
        const listing = await this.listing();
        const text = tools?.length ? describeApi(listing.servers, listing.failures, tools) : compactIndex(listing);
        return { content: [{ type: 'text' as const, text }] };
      },
    );
    this.runTools.add(runTool);
    server.server.onclose = () => this.runTools.delete(runTool);
    return server;
  }

  dispose(): void {
    this.unsubscribe();
    this.runTools.clear();
  }

  private async run(server: McpServer, code: string, request: { requestId: RequestId; signal: AbortSignal }) {
    await this.options.settled?.();
    const run = await this.options.engine.run(code, {
      signal: request.signal,
      ...this.options.limits?.(),
      approvals: elicitApprovals(server, this.options.approvalPolicy(), request, this.options.refusal),
    });
    logRun(this.options.logger, 'MCP', code, run);
    return { content: [{ type: 'text' as const, text: modelReport(run, this.options.reportBytes()) }], isError: !run.ok };
  }

  private async listing() {
    await this.options.settled?.();
    return this.options.hub.listTools({ waitMs: this.options.listWaitMs ?? 10_000 });
  }

  private async currentDescription(): Promise<string> {
    return runDescription(await this.listing());
  }

  /** Recomputes the description after a hub change; each session whose API changed is told so by the SDK. */
  private refresh(): Promise<void> {
    // Before any client asked, there is nothing to update: listing now would start every server (a hub change is
    // also the configuration being read at start-up).
    if (this.description === undefined) {
      return Promise.resolve();
    }
    this.changed = true;
    this.refreshing ??= (async () => {
      try {
        while (this.changed) {
          this.changed = false;
          // Changes come in bursts (a server connecting lists its tools right after): take them together.
          await new Promise((resolve) => setTimeout(resolve, 100));
          const description = await this.currentDescription();
          if (description !== this.description) {
            this.description = description;
            for (const tool of this.runTools) {
              tool.update({ description });
            }
          }
        }
      } catch (error: unknown) {
        this.options.logger.warn(`could not refresh the Code Mode server's API: ${errorMessage(error)}`);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}
