import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Stream } from 'node:stream';
import type { ServerConfig } from '../config/serverConfig';
import { AuthorizingTransport } from './auth/authorizingTransport';
import type { OAuthProviderFactory } from './auth/oauthProviders';

export interface CreatedTransport {
  transport: Transport;
  /** The server's stderr (stdio servers only), for the log. */
  stderr?: Stream;
}

/** Builds the SDK transport for a server whose variables are already resolved. */
export function createTransport(config: ServerConfig, oauth?: OAuthProviderFactory): CreatedTransport {
  switch (config.type) {
    case 'stdio': {
      const transport = new StdioClientTransport({
        command: config.command,
        args: config.args,
        env: config.env,
        cwd: config.cwd,
        stderr: 'pipe',
      });
      return { transport, stderr: transport.stderr ?? undefined };
    }
    case 'http':
    case 'sse': {
      const Remote = config.type === 'http' ? StreamableHTTPClientTransport : SSEClientTransport;
      const authProvider = oauth?.(config);
      const create = () => new Remote(new URL(config.url), { requestInit: { headers: config.headers }, authProvider });
      return { transport: authProvider ? new AuthorizingTransport(create, authProvider) : create() };
    }
  }
}
