import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ApprovalPolicy } from '../core/approval/approvalPolicy';
import { approveFlags } from '../core/approval/callDescription';
import { Engine } from '../core/engine/engine';
import type { Logger } from '../core/logger';
import type { McpHub } from '../core/mcp/hub';
import { createExecutor } from '../core/sandbox/createExecutor';
import { CodeModeServer } from '../core/serve/codeModeServer';
import { serveLoopbackHttp } from '../core/serve/loopbackHttp';

export interface ServeFlags {
  /** Serve streamable HTTP on 127.0.0.1 (this port; 0 for any) instead of stdio. */
  httpPort?: number;
  timeoutMs?: number;
  memoryMb?: number;
  reportBytes: number;
  version: string;
  /** `--approve` and CODEMODE_APPROVE_MODE; calls it does not cover are asked through the client when it can. */
  approvalPolicy: ApprovalPolicy;
}

/**
 * `codemode serve`: Code Mode as an MCP server over the configured servers, on stdio (until stdin ends) or on
 * loopback HTTP with a bearer token (until SIGINT/SIGTERM). The token is CODEMODE_SERVE_TOKEN, else a random one
 * printed on stderr with the URL.
 */
export async function serveCommand(hub: McpHub, flags: ServeFlags, hostScript: string, logger: Logger): Promise<number> {
  const executor = await createExecutor({ configuredNodePath: process.env.CODEMODE_NODE, hostScript, logger });
  const codeMode = new CodeModeServer({
    hub,
    engine: new Engine(hub, executor, logger),
    logger,
    reportBytes: () => flags.reportBytes,
    limits: () => ({ timeoutMs: flags.timeoutMs, memoryMb: flags.memoryMb }),
    approvalPolicy: () => flags.approvalPolicy,
    refusal: (call) =>
      `not approved: it may change things and the MCP client cannot ask the user (start codemode serve with ${approveFlags(call)})`,
    version: flags.version,
  });
  try {
    if (flags.httpPort === undefined) {
      const server = await codeMode.create();
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
      await server.connect(transport);
      process.stdin.once('end', () => void server.close());
      await closed;
    } else {
      const http = await serveLoopbackHttp(() => codeMode.create(), {
        port: flags.httpPort,
        token: process.env.CODEMODE_SERVE_TOKEN || undefined,
      });
      process.stderr.write(
        `codemode: serving MCP at ${http.url.href} (header "Authorization: Bearer ${process.env.CODEMODE_SERVE_TOKEN ? '$CODEMODE_SERVE_TOKEN' : http.token}")\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await http.close();
    }
    return 0;
  } finally {
    codeMode.dispose();
    await executor.dispose();
  }
}
