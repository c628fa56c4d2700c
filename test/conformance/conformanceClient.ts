#!/usr/bin/env node
// The client under test for `conformance client --command "node out/conformance/conformanceClient.js"`: the harness appends the
// scenario's server URL and names the scenario in MCP_CONFORMANCE_SCENARIO (extra data in MCP_CONFORMANCE_CONTEXT).
// It drives the same McpHub as the extension and the CLI: connect, list the tools, call each one.
import { cliLogger } from '../../src/cli/cliLogger';
import { errorMessage } from '../../src/core/errors';
import type { ClientCredentials } from '../../src/core/mcp/auth/clientCredentials';
import { LoopbackAuthorizer } from '../../src/core/mcp/auth/loopbackAuthorizer';
import { oauthProviderFactory } from '../../src/core/mcp/auth/oauthProviderFactory';
import { MemoryOAuthStore } from '../../src/core/mcp/auth/oauthStore';
import { McpHub } from '../../src/core/mcp/hub';
import { acceptDefaults } from './acceptDefaults';
import { freePort } from './freePort';
import { sampleArguments } from './sampleArguments';

/** The client ID metadata document URL the CIMD scenario expects. Nothing serves it: other scenarios would try. */
const cimdScenarioUrl = 'https://conformance-test.local/client-metadata.json';

interface ScenarioContext {
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: string;
  /** The calls a scenario wants made, with their arguments (e.g. values to mirror into headers). */
  toolCalls?: Array<{ name: string; arguments?: Record<string, unknown> }>;
}

/** The scenario that checks a tool's input schema arrives whole: this tool echoes what the client saw. */
const schemaEchoTool = 'json_schema_echo';

async function main(serverUrl: string | undefined): Promise<void> {
  if (!serverUrl) {
    throw new Error('usage: conformanceClient <server-url>');
  }
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as ScenarioContext;
  // The same context (client_id, client_secret) means a pre-registered client or a machine's credentials: the
  // scenario's name says which.
  const machine = scenario.startsWith('auth/client-credentials-') ? machineCredentials(context) : undefined;
  const redirectUrl = `http://127.0.0.1:${await freePort()}/callback`;
  const hub = new McpHub({
    logger: cliLogger(process.env.CODEMODE_LOG ?? 'info'),
    variables: { env: {}, input: async () => undefined },
    onElicit: acceptDefaults,
    oauth: oauthProviderFactory({
      store: new MemoryOAuthStore(),
      // The scenarios' authorization servers approve at once and redirect: a fetch that follows redirects is the browser.
      authorizer: new LoopbackAuthorizer({ openUrl: (url) => followRedirects(url, redirectUrl), timeoutMs: 10_000 }),
      clientName: 'Code Mode conformance client',
      redirectUrl,
      clientMetadataUrl: scenario === 'auth/basic-cimd' ? cimdScenarioUrl : undefined,
      preregisteredClient: () => (context.client_id ? { client_id: context.client_id, client_secret: context.client_secret } : undefined),
      clientCredentials: () => machine,
    }),
  });
  try {
    await hub.reconcile([{ name: 'server', type: 'http', url: serverUrl, headers: {} }]);
    const listing = await hub.listTools();
    if (listing.failures.length > 0) {
      throw new Error(listing.failures[0].message);
    }
    const tools = listing.servers[0].tools;
    const calls = context.toolCalls ?? tools.map((tool) => ({ name: tool.name, arguments: sampleArguments(tool.inputSchema) }));
    for (const call of calls) {
      const args =
        call.name === schemaEchoTool ? { schema: tools.find((tool) => tool.name !== schemaEchoTool)?.inputSchema } : call.arguments;
      // Calls are independent, as in a script: one that fails is reported and the others still run.
      await hub.callTool('server', call.name, args ?? {}).then(
        (result) => process.stdout.write(`${call.name}: ${JSON.stringify(result.content)}\n`),
        (error: unknown) => process.stderr.write(`${call.name} failed: ${errorMessage(error)}\n`),
      );
    }
  } finally {
    await hub.closeAll();
  }
}

function machineCredentials({
  client_id: clientId = '',
  client_secret,
  private_key_pem,
  signing_algorithm,
}: ScenarioContext): ClientCredentials {
  return private_key_pem
    ? { clientId, privateKeyPem: private_key_pem, algorithm: signing_algorithm ?? 'ES256' }
    : { clientId, clientSecret: client_secret ?? '' };
}

async function followRedirects(url: URL, redirectUrl: string): Promise<void> {
  const response = await fetch(url);
  await response.body?.cancel();
  if (!response.url.startsWith(redirectUrl)) {
    throw new Error(`the authorization server answered ${response.status} without redirecting back`);
  }
}

main(process.argv[2]).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`conformance client failed: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
