// An MCP server behind OAuth, in process, for the hub's sign-in tests: one origin is both the resource server
// (streamable HTTP at /mcp, legacy SSE at /sse + /messages) and a minimal authorization server that approves at once.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthTestServerOptions {
  /** How /authorize answers: approve, refuse (error=access_denied), or approve with another state. */
  authorize?: 'approve' | 'refuse' | 'wrong-state';
}

export interface OAuthTestServer {
  origin: string;
  /** Requests the authorization endpoint received: each is one sign-in by the user. */
  authorizations: number;
  /** The client metadata of each dynamic registration. */
  registrations: Array<Record<string, unknown>>;
  /** What the last connected client declared in `initialize`. */
  clientCapabilities?: object;
  stop(): Promise<void>;
}

export async function startOAuthTestServer(options: OAuthTestServerOptions = {}): Promise<OAuthTestServer> {
  const tokens = new Set<string>();
  const challenges = new Map<string, string>();
  const sse = new Map<string, SSEServerTransport>();
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const state: OAuthTestServer = { origin: '', authorizations: 0, registrations: [], stop: async () => undefined };

  const buildServer = () => {
    const server = new McpServer({ name: 'oauth-test', version: '1.0.0' });
    server.registerTool('whoami', { description: 'Says the caller is signed in.' }, () => ({
      content: [{ type: 'text', text: 'signed in' }],
    }));
    server.server.oninitialized = () => (state.clientCapabilities = server.server.getClientCapabilities());
    return server;
  };

  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', state.origin);
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /.well-known/oauth-protected-resource/mcp':
      case 'GET /.well-known/oauth-protected-resource/sse':
        return json(res, {
          resource: `${state.origin}${url.pathname.slice('/.well-known/oauth-protected-resource'.length)}`,
          authorization_servers: [state.origin],
        });
      case 'GET /.well-known/oauth-authorization-server':
        return json(res, {
          issuer: state.origin,
          authorization_endpoint: `${state.origin}/authorize`,
          token_endpoint: `${state.origin}/token`,
          registration_endpoint: `${state.origin}/register`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
        });
      case 'POST /register': {
        const metadata = JSON.parse(await body(req)) as Record<string, unknown>;
        state.registrations.push(metadata);
        return json(res, { ...metadata, client_id: randomUUID() }, 201);
      }
      case 'GET /authorize': {
        state.authorizations++;
        const code = randomUUID();
        challenges.set(code, url.searchParams.get('code_challenge') ?? '');
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        if (options.authorize === 'refuse') {
          back.searchParams.set('error', 'access_denied');
        } else {
          back.searchParams.set('code', code);
        }
        back.searchParams.set('state', options.authorize === 'wrong-state' ? 'forged' : (url.searchParams.get('state') ?? ''));
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      case 'POST /token': {
        const form = new URLSearchParams(await body(req));
        const challenge = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        if (challenges.get(form.get('code') ?? '') !== challenge) {
          return json(res, { error: 'invalid_grant' }, 400);
        }
        const token = randomUUID();
        tokens.add(token);
        return json(res, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      }
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) {
      const resourcePath = url.pathname === '/messages' ? '/sse' : url.pathname;
      res
        .writeHead(401, {
          'www-authenticate': `Bearer resource_metadata="${state.origin}/.well-known/oauth-protected-resource${resourcePath}"`,
        })
        .end();
      return;
    }
    if (route === 'GET /sse') {
      const transport = new SSEServerTransport('/messages', res);
      sse.set(transport.sessionId, transport);
      await buildServer().connect(transport);
    } else if (route === 'POST /messages') {
      await sse.get(url.searchParams.get('sessionId') ?? '')?.handlePostMessage(req, res);
    } else if (url.pathname === '/mcp') {
      const sessionId = req.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (!transport) {
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          onsessioninitialized: (id) => void sessions.set(id, created),
        });
        await buildServer().connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  state.stop = () =>
    new Promise((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return state;
}

function json(res: ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
  }
  return text;
}
