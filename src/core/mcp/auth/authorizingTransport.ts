import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { AuthorizationCodeSource } from './oauthProvider';

/** The SDK's HTTP and SSE client transports: both can exchange an authorization code for tokens. */
export interface AuthorizableTransport extends Transport {
  finishAuth(authorizationCode: string): Promise<void>;
}

/** 401 then 403 (step-up) may each need the user once; more is a loop the server will not end. */
const maxAuthorizationsPerMessage = 2;

/**
 * Completes the SDK's OAuth flow in place. On 401 (or 403 insufficient_scope) the SDK discovers, registers and sends
 * the user to the authorization page, then gives up with UnauthorizedError, expecting the application to come back
 * with the code. Here the provider has the code by then: exchange it and send the message again, so a sign-in in the
 * middle of a session (a step-up for one tool) costs the caller nothing but the wait.
 */
export class AuthorizingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private inner: AuthorizableTransport;

  constructor(
    private readonly create: () => AuthorizableTransport,
    private readonly codes: Partial<AuthorizationCodeSource>,
  ) {
    this.inner = this.attach(create());
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    try {
      await this.inner.start();
    } catch (error: unknown) {
      const code = this.codeAfter(error);
      if (code === undefined) {
        throw error;
      }
      await this.inner.finishAuth(code);
      // The SSE transport cannot start twice: a fresh one opens the stream with the new token.
      const failed = this.inner;
      failed.onclose = failed.onerror = failed.onmessage = undefined;
      await failed.close().catch(() => undefined);
      this.inner = this.attach(this.create());
      await this.inner.start();
    }
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    for (let authorizations = 0; ; authorizations++) {
      try {
        return await this.inner.send(message, options);
      } catch (error: unknown) {
        const code = authorizations < maxAuthorizationsPerMessage ? this.codeAfter(error) : undefined;
        if (code === undefined) {
          throw error;
        }
        await this.inner.finishAuth(code);
      }
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private codeAfter(error: unknown): string | undefined {
    return error instanceof UnauthorizedError ? this.codes.takeAuthorizationCode?.() : undefined;
  }

  private attach(transport: AuthorizableTransport): AuthorizableTransport {
    transport.onclose = () => this.onclose?.();
    transport.onerror = (error) => this.onerror?.(error);
    transport.onmessage = (message, extra) => this.onmessage?.(message, extra);
    return transport;
  }
}
