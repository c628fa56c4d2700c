import type { OAuthClientProvider } from '@modelcontextprotocol/client';
import type { RemoteServerConfig } from '../../config/serverConfig';
import { clientCredentialsProvider, type ClientCredentials } from './clientCredentials';
import { McpOAuthProvider, type AuthorizationResponseSource, type OAuthSettings } from './mcpOAuthProvider';

/** Gives each remote server its OAuth provider; the SDK asks it for tokens and, on 401, signs in through it. */
export type OAuthProviderFactory = (server: RemoteServerConfig) => OAuthClientProvider & Partial<AuthorizationResponseSource>;

export interface OAuthProvidersSettings extends OAuthSettings {
  /** Servers that a machine signs in to with its own credentials; the others get the user's sign-in. */
  clientCredentials?(server: RemoteServerConfig): ClientCredentials | undefined;
}

/** One provider per server (by name and URL), so a reconnect reuses what the last sign-in obtained. */
export function oauthProviderFactory(settings: OAuthProvidersSettings): OAuthProviderFactory {
  const providers = new Map<string, OAuthClientProvider & Partial<AuthorizationResponseSource>>();
  return (server) => {
    const key = `${server.name} ${server.url}`;
    let provider = providers.get(key);
    if (!provider) {
      const credentials = settings.clientCredentials?.(server);
      provider = credentials ? clientCredentialsProvider(credentials, settings.clientName) : new McpOAuthProvider(server, settings);
      providers.set(key, provider);
    }
    return provider;
  };
}
