import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>/mcp` */
  url: URL;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  close(): Promise<void>;
}

/** A fresh random token: 32 bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Serves MCP over streamable HTTP on 127.0.0.1 only, to clients that send the bearer token: any local process can
 * reach a loopback port, so the port alone must not be enough to run scripts with the user's servers.
 * Each session gets its own McpServer from `createServer`.
 */
export async function serveLoopbackHttp(
  createServerForSession: () => Promise<McpServer>,
  options: { port?: number; token?: string } = {},
): Promise<LoopbackServer> {
  const token = options.token ?? newToken();
  const expected = Buffer.from(`Bearer ${token}`);
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  const http = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500).end();
      }
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end('A bearer token is required.');
      return;
    }
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing) {
      await existing.transport.handleRequest(req, res);
      return;
    }
    if (req.method !== 'POST' || sessionId !== undefined) {
      res
        .writeHead(404, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
      return;
    }
    const server = await createServerForSession();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, { transport, server }),
      // The token already keeps browsers out; this also refuses a rebound DNS name.
      enableDnsRebindingProtection: true,
      allowedHosts: [`127.0.0.1:${port()}`, `localhost:${port()}`],
    });
    transport.onclose = () => {
      if (transport.sessionId) {
        sessions.delete(transport.sessionId);
      }
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = () => (http.address() as AddressInfo).port;
  return {
    url: new URL(`http://127.0.0.1:${port()}/mcp`),
    token,
    close: async () => {
      await Promise.all([...sessions.values()].map(({ server }) => server.close()));
      sessions.clear();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
