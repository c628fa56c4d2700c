import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { randomBytes } from 'node:crypto';
import type { RemoteServerConfig } from '../../config/serverConfig';
import { CodeModeError } from '../../errors';
import type { Authorizer } from './loopbackAuthorizer';
import type { OAuthStore } from './oauthStore';

/** Fixed rather than a free port: dynamic registrations remember the redirect URI they were made with. */
export const defaultRedirectUrl = 'http://127.0.0.1:33419/callback';

export interface OAuthSettings {
  store: OAuthStore;
  authorizer: Authorizer;
  /** Shown on the authorization server's consent page. */
  clientName: string;
  /** The loopback URL the authorizer listens on, registered with each authorization server: `defaultRedirectUrl`. */
  redirectUrl: string;
  /** An https URL serving this client's metadata document (CIMD), used where the authorization server accepts one. */
  clientMetadataUrl?: string;
  /**
   * Credentials registered beforehand, for authorization servers without dynamic client registration. Give `issuer`
   * (the authorization server's URL) so a server cannot send the secret to an authorization server of its choosing.
   */
  preregisteredClient?(server: RemoteServerConfig): { client_id: string; client_secret?: string; issuer?: string } | undefined;
}

/** What a provider hands the transport after the user approved: the code to exchange for tokens. */
export interface AuthorizationCodeSource {
  takeAuthorizationCode(): string | undefined;
}

interface StoredAuth {
  tokens?: OAuthTokens;
  client?: OAuthClientInformationMixed;
}

/**
 * The SDK's `auth()` drives discovery, registration (CIMD, dynamic or pre-registered), PKCE, the token request and
 * refresh; this class keeps the results in the store and gets the user's approval through the authorizer.
 */
export class McpOAuthProvider implements OAuthClientProvider, AuthorizationCodeSource {
  private cached?: StoredAuth;
  private verifier?: string;
  private expectedState?: string;
  private code?: string;

  constructor(
    private readonly server: RemoteServerConfig,
    private readonly settings: OAuthSettings,
  ) {}

  get redirectUrl(): string {
    return this.settings.redirectUrl;
  }

  get clientMetadataUrl(): string | undefined {
    return this.settings.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    // A public client: PKCE protects the code, so no secret is asked for (a server may still issue one).
    return {
      client_name: this.settings.clientName,
      redirect_uris: [this.settings.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('base64url');
    return this.expectedState;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    return (await this.load()).client ?? this.settings.preregisteredClient?.(this.server);
  }

  async saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
    await this.save({ ...(await this.load()), client });
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    return (await this.load()).tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.save({ ...(await this.load()), tokens });
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) {
      throw new CodeModeError(`No OAuth authorization is in progress for server "${this.server.name}"`);
    }
    return this.verifier;
  }

  /** Waits for the user's approval; the transport then exchanges the code (see AuthorizingTransport). */
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const expectedState = this.expectedState;
    const reply = await this.settings.authorizer.authorize(authorizationUrl, new URL(this.settings.redirectUrl));
    const error = reply.get('error');
    if (error) {
      const description = reply.get('error_description');
      throw new CodeModeError(`Server "${this.server.name}": authorization refused (${error}${description ? `: ${description}` : ''})`);
    }
    if (reply.get('state') !== expectedState) {
      throw new CodeModeError(`Server "${this.server.name}": the authorization reply does not match the request (state)`);
    }
    const code = reply.get('code');
    if (!code) {
      throw new CodeModeError(`Server "${this.server.name}": the authorization reply has no code`);
    }
    this.code = code;
  }

  takeAuthorizationCode(): string | undefined {
    const code = this.code;
    this.code = undefined;
    return code;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all' || scope === 'verifier') {
      this.verifier = undefined;
    }
    if (scope === 'all' || scope === 'client' || scope === 'tokens') {
      const { tokens, client } = await this.load();
      await this.save({
        tokens: scope === 'client' ? tokens : undefined,
        client: scope === 'tokens' ? client : undefined,
      });
    }
  }

  private get key(): string {
    return `codeMode.oauth/${this.server.url}`;
  }

  private async load(): Promise<StoredAuth> {
    if (!this.cached) {
      this.cached = parseStored(await this.settings.store.get(this.key));
    }
    return this.cached;
  }

  private async save(auth: StoredAuth): Promise<void> {
    this.cached = auth;
    await (auth.tokens || auth.client ? this.settings.store.store(this.key, JSON.stringify(auth)) : this.settings.store.delete(this.key));
  }
}

/** Unreadable state is dropped: the worst outcome is signing in again. */
function parseStored(text: string | undefined): StoredAuth {
  try {
    const value: unknown = text ? JSON.parse(text) : {};
    return typeof value === 'object' && value !== null ? (value as StoredAuth) : {};
  } catch {
    return {};
  }
}
