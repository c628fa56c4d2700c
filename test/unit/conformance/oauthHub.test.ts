import { strict as assert } from 'node:assert';
import type { RemoteServerConfig } from '../../../src/core/config/serverConfig';
import { LoopbackAuthorizer } from '../../../src/core/mcp/auth/loopbackAuthorizer';
import { oauthProviderFactory } from '../../../src/core/mcp/auth/oauthProviderFactory';
import { MemoryOAuthStore, type OAuthStore } from '../../../src/core/mcp/auth/oauthStore';
import { McpHub, type HubOptions } from '../../../src/core/mcp/hub';
import { freePort } from '../../conformance/freePort';
import { startOAuthTestServer, type OAuthTestServer } from '../../conformance/oauthTestServer';
import { noInputs } from '../helpers';

/** A hub that signs in like the product would, with fetch (following redirects) standing in for the browser. */
async function signingInHub(store: OAuthStore, extra: Partial<HubOptions> = {}): Promise<McpHub> {
  const redirectUrl = `http://127.0.0.1:${await freePort()}/callback`;
  const authorizer = new LoopbackAuthorizer({ openUrl: async (url) => void (await fetch(url)).body?.cancel(), timeoutMs: 5_000 });
  return new McpHub({
    variables: noInputs,
    oauth: oauthProviderFactory({ store, authorizer, clientName: 'Code Mode tests', redirectUrl }),
    ...extra,
  });
}

function remote(server: OAuthTestServer, type: 'http' | 'sse'): RemoteServerConfig {
  return { name: 'secured', type, url: `${server.origin}/${type === 'http' ? 'mcp' : 'sse'}`, headers: {} };
}

describe('McpHub with OAuth', () => {
  let server: OAuthTestServer;
  const hubs: McpHub[] = [];
  const track = (hub: McpHub) => (hubs.push(hub), hub);

  afterEach(async () => {
    await Promise.all(hubs.splice(0).map((hub) => hub.closeAll()));
    await server?.stop();
  });

  for (const type of ['http', 'sse'] as const) {
    it(`signs in once when a ${type} server answers 401, then calls tools with the token`, async () => {
      server = await startOAuthTestServer();
      const hub = track(await signingInHub(new MemoryOAuthStore()));
      await hub.reconcile([remote(server, type)]);
      const listing = await hub.listTools();
      assert.deepEqual(listing.failures, []);
      assert.deepEqual(
        listing.servers[0].tools.map((tool) => tool.name),
        ['whoami'],
      );
      const result = await hub.callTool('secured', 'whoami', {});
      assert.deepEqual(result.content, [{ type: 'text', text: 'signed in' }]);
      assert.equal(server.authorizations, 1);
      assert.deepEqual(
        server.registrations.map((metadata) => [metadata.application_type, metadata.token_endpoint_auth_method]),
        [['native', 'none']],
      );
    });
  }

  it('keeps tokens and registration in the store: a new hub on the same store does not sign in again', async () => {
    server = await startOAuthTestServer();
    const store = new MemoryOAuthStore();
    const first = track(await signingInHub(store));
    await first.reconcile([remote(server, 'http')]);
    await first.callTool('secured', 'whoami', {});
    await first.closeAll();
    const second = track(await signingInHub(store));
    await second.reconcile([remote(server, 'http')]);
    await second.callTool('secured', 'whoami', {});
    assert.equal(server.authorizations, 1);
  });

  it('fails the connection with the reason when the user refuses', async () => {
    server = await startOAuthTestServer({ authorize: 'refuse' });
    const hub = track(await signingInHub(new MemoryOAuthStore()));
    await hub.reconcile([remote(server, 'http')]);
    const listing = await hub.listTools();
    assert.match(listing.failures[0]?.message ?? '', /authorization refused \(access_denied\)/);
  });

  it('rejects an authorization reply that does not carry the state it was sent', async () => {
    server = await startOAuthTestServer({ authorize: 'wrong-state' });
    const hub = track(await signingInHub(new MemoryOAuthStore()));
    await hub.reconcile([remote(server, 'http')]);
    const listing = await hub.listTools();
    assert.match(listing.failures[0]?.message ?? '', /does not match the request \(state\)/);
  });

  it('declares elicitation (with schema defaults applied) only when the host answers elicitations', async () => {
    server = await startOAuthTestServer();
    const plain = track(await signingInHub(new MemoryOAuthStore()));
    await plain.reconcile([remote(server, 'http')]);
    await plain.listTools();
    // Every client declares the Tasks extension (src/core/mcp/taskHandles.ts); elicitation only with an answerer.
    const tasks = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
    assert.deepEqual(server.clientCapabilities, tasks);
    const answering = track(await signingInHub(new MemoryOAuthStore(), { onElicit: async () => ({ action: 'decline' }) }));
    await answering.reconcile([remote(server, 'http')]);
    await answering.listTools();
    assert.deepEqual(server.clientCapabilities, { ...tasks, elicitation: { form: { applyDefaults: true } } });
  });

  it('listens for the redirect on loopback only', async () => {
    const authorizer = new LoopbackAuthorizer({ openUrl: () => undefined });
    await assert.rejects(
      authorizer.authorize(new URL('https://auth.example/authorize'), new URL('https://example.com/callback')),
      /loopback/,
    );
  });
});
