import { ClientCredentialsProvider, PrivateKeyJwtProvider, type OAuthClientProvider } from '@modelcontextprotocol/client';

/**
 * A machine's own credentials (the client_credentials grant, no user involved), authenticated by a client secret or
 * by a JWT signed with a private key (private_key_jwt). `issuer`, the authorization server's URL, keeps them from
 * being sent to an authorization server the MCP server names.
 */
export type ClientCredentials =
  | { clientId: string; clientSecret: string; issuer?: string }
  | { clientId: string; privateKeyPem: string; algorithm: string; issuer?: string };

/** The SDK's providers for these grants; tokens stay in memory, since a new one costs a request and no user. */
export function clientCredentialsProvider(credentials: ClientCredentials, clientName: string): OAuthClientProvider {
  const common = { clientId: credentials.clientId, clientName, expectedIssuer: credentials.issuer };
  return 'clientSecret' in credentials
    ? new ClientCredentialsProvider({ ...common, clientSecret: credentials.clientSecret })
    : new PrivateKeyJwtProvider({ ...common, privateKey: credentials.privateKeyPem, algorithm: credentials.algorithm });
}
