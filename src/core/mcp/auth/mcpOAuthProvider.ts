import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
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

/**
 * What a provider hands the transport after the user approved: the authorization response, whose code the SDK
 * exchanges for tokens after checking its `iss` against the authorization server it asked (RFC 9207).
 */
export interface AuthorizationResponseSource {
  takeAuthorizationResponse(): URLSearchParams | undefined;
}

interface StoredAuth {
  tokens?: StoredOAuthTokens;
  client?: StoredOAuthClientInformation;
}

/**
 * The SDK's `auth()` drives discovery, registration (CIMD, dynamic or pre-registered), PKCE, the token request and
 * refresh; this class keeps the results in the store and gets the user's approval through the authorizer.
 */
export class McpOAuthProvider implements OAuthClientProvider, AuthorizationResponseSource {
  private cached?: StoredAuth;
  private verifier?: string;
  /** Which authorization server the pending sign-in went to: the SDK checks the reply came from that one. */
  private discovery?: OAuthDiscoveryState;
  private expectedState?: string;
  private response?: URLSearchParams;

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
      // A loopback redirect makes this a native application (RFC 8252); OpenID registration defaults to "web".
      application_type: 'native',
    };
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('base64url');
    return this.expectedState;
  }

  /** A registration is valid only with the authorization server that made it: another one gets a new registration. */
  async clientInformation(context?: OAuthClientInformationContext): Promise<StoredOAuthClientInformation | undefined> {
    const { client } = await this.load();
    return (client && sameIssuer(client.issuer, context) ? client : undefined) ?? this.settings.preregisteredClient?.(this.server);
  }

  async saveClientInformation(client: StoredOAuthClientInformation): Promise<void> {
    await this.save({ ...(await this.load()), client });
  }

  /** Without a context the transport wants the bearer token it sends; with one, discovery asks for that server's. */
  async tokens(context?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    const { tokens } = await this.load();
    return tokens && sameIssuer(tokens.issuer, context) ? tokens : undefined;
  }

  /** A finished sign-in forgets its discovery: the next 401 looks again, so a move to another server is noticed. */
  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    this.discovery = undefined;
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

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
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
    if (!reply.get('code')) {
      throw new CodeModeError(`Server "${this.server.name}": the authorization reply has no code`);
    }
    this.response = reply;
  }

  takeAuthorizationResponse(): URLSearchParams | undefined {
    const response = this.response;
    this.response = undefined;
    return response;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all' || scope === 'verifier') {
      this.verifier = undefined;
    }
    if (scope === 'all' || scope === 'discovery') {
      this.discovery = undefined;
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

/** State saved before the SDK stamped issuers carries none: it is kept rather than costing a sign-in. */
function sameIssuer(saved: string | undefined, context: OAuthClientInformationContext | undefined): boolean {
  return saved === undefined || context === undefined || saved === context.issuer;
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
