import { SSEClientTransport, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/client/stdio';
import type { Stream } from 'node:stream';
import type { ServerConfig } from '../config/serverConfig';
import { AuthorizingTransport } from './auth/authorizingTransport';
import type { OAuthProviderFactory } from './auth/oauthProviderFactory';
import { LineBuffer } from './lineBuffer';

export interface CreatedTransport {
  transport: Transport;
  /** The server's stderr (stdio servers only), for the log. */
  stderr?: Stream;
}

/**
 * The SDK's stdio transport probes the protocol version on a second, throwaway process (doubling the first connect,
 * measured 0.6–1 s more on a loaded machine); a subclass makes it probe on the session's own pipe. A 2025-era server
 * answers the probe with "method not found" and the handshake goes on; one that exits on it is retried as 2025-era
 * (see ServerConnection). It reads the server's output through a LineBuffer.
 */
class InPlaceStdioTransport extends StdioClientTransport {
  constructor(params: StdioServerParameters) {
    super(params);
    // The SDK's read buffer copies a big reply once per chunk (see LineBuffer); this one copies it once.
    (this as unknown as { _readBuffer: LineBuffer })._readBuffer = new LineBuffer();
  }
}

/** Builds the SDK transport for a server whose variables are already resolved. */
export function createTransport(config: ServerConfig, oauth?: OAuthProviderFactory): CreatedTransport {
  switch (config.type) {
    case 'stdio': {
      const transport = new InPlaceStdioTransport({
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
