import { UnauthorizedError, type JSONRPCMessage, type Transport, type TransportSendOptions } from '@modelcontextprotocol/client';
import type { AuthorizationResponseSource } from './mcpOAuthProvider';

/** The SDK's HTTP and SSE client transports: both exchange an authorization response for tokens, checking its `iss`. */
export interface AuthorizableTransport extends Transport {
  finishAuth(callbackParams: URLSearchParams): Promise<void>;
}

/** 401 then 403 (step-up) may each need the user once; more is a loop the server will not end. */
const maxAuthorizationsPerMessage = 2;

/**
 * Completes the SDK's OAuth flow in place. On 401 (or 403 insufficient_scope) the SDK discovers, registers and sends
 * the user to the authorization page, then gives up with UnauthorizedError, expecting the application to come back
 * with the code. Here the provider has the authorization response by then: exchange it and send the message again,
 * so a sign-in in the middle of a session (a step-up for one tool) costs the caller nothing but the wait.
 */
export class AuthorizingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private inner: AuthorizableTransport;

  constructor(
    private readonly create: () => AuthorizableTransport,
    private readonly responses: Partial<AuthorizationResponseSource>,
  ) {
    this.inner = this.attach(create());
  }

  /** Streamable HTTP cancels a 2026-era request by closing its stream; the protocol layer asks the transport. */
  get hasPerRequestStream(): boolean | undefined {
    return this.inner.hasPerRequestStream;
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
      const response = this.responseAfter(error);
      if (response === undefined) {
        throw error;
      }
      await this.inner.finishAuth(response);
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
        const response = authorizations < maxAuthorizationsPerMessage ? this.responseAfter(error) : undefined;
        if (response === undefined) {
          throw error;
        }
        await this.inner.finishAuth(response);
      }
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private responseAfter(error: unknown): URLSearchParams | undefined {
    return error instanceof UnauthorizedError ? this.responses.takeAuthorizationResponse?.() : undefined;
  }

  private attach(transport: AuthorizableTransport): AuthorizableTransport {
    transport.onclose = () => this.onclose?.();
    transport.onerror = (error) => this.onerror?.(error);
    transport.onmessage = (message, extra) => this.onmessage?.(message, extra);
    return transport;
  }
}
