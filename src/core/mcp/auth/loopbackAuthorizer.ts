import { createServer } from 'node:http';
import { CodeModeError, errorMessage } from '../../errors';

/** Gets the user's approval for an authorization request: the authorization-code step of OAuth. */
export interface Authorizer {
  /** Sends the user agent to `authorizationUrl`; resolves with the query the authorization server sent to `redirectUrl`. */
  authorize(authorizationUrl: URL, redirectUrl: URL): Promise<URLSearchParams>;
}

export interface LoopbackAuthorizerOptions {
  /** Opens the URL in the user's browser (VS Code: `env.openExternal`); any user agent that follows redirects works. */
  openUrl(url: URL): PromiseLike<unknown> | void;
  /** How long the user has to sign in. */
  timeoutMs?: number;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The native-app flow of RFC 8252: listens on the loopback redirect URI only while one authorization is pending,
 * opens the authorization URL, and takes the code from the request the browser is redirected to.
 */
export class LoopbackAuthorizer implements Authorizer {
  constructor(private readonly options: LoopbackAuthorizerOptions) {}

  authorize(authorizationUrl: URL, redirectUrl: URL): Promise<URLSearchParams> {
    if (redirectUrl.protocol !== 'http:' || !loopbackHosts.has(redirectUrl.hostname) || !redirectUrl.port) {
      return Promise.reject(
        new CodeModeError(`The OAuth redirect URL must be http on a loopback address with a port: ${redirectUrl.href}`),
      );
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (settle: () => void) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          server.close();
          settle();
        }
      };
      const server = createServer((request, response) => {
        const url = new URL(request.url ?? '/', redirectUrl);
        if (url.pathname !== redirectUrl.pathname) {
          response.writeHead(404, { connection: 'close' }).end();
          return;
        }
        const refused = url.searchParams.has('error');
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
        response.end(
          `<!doctype html><title>Code Mode</title><p>${refused ? 'Authorization was refused.' : 'Signed in.'} You can close this tab.</p>`,
        );
        finish(() => resolve(url.searchParams));
      });
      const timeoutMs = this.options.timeoutMs ?? 5 * 60_000;
      const timer = setTimeout(
        () => finish(() => reject(new CodeModeError(`Sign-in was not completed within ${Math.round(timeoutMs / 1000)} s`))),
        timeoutMs,
      );
      server.on('error', (error) =>
        finish(() => reject(new CodeModeError(`Cannot listen on ${redirectUrl.host} for the OAuth redirect: ${errorMessage(error)}`))),
      );
      server.listen(Number(redirectUrl.port), redirectUrl.hostname.replace(/^\[|\]$/g, ''), () => {
        Promise.resolve(this.options.openUrl(authorizationUrl)).then(undefined, (error: unknown) =>
          finish(() => reject(new CodeModeError(`Could not open the authorization page: ${errorMessage(error)}`))),
        );
      });
    });
  }
}
