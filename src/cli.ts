#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './cli/loadConfig';
import { cliLogger } from './cli/cliLogger';
import { checkCommand, replayCommand, runCommand, toolsCommand, typesCommand } from './cli/commands';
import { serveCommand } from './cli/serveCommand';
import { approvalMode, approvedNames, cliApprovals } from './cli/cliApprovals';
import { defaultReportBytes } from './core/defaults';
import { environmentVariables } from './cli/environmentInputs';
import { CodeModeError, errorMessage } from './core/errors';
import { LoopbackAuthorizer } from './core/mcp/auth/loopbackAuthorizer';
import { defaultRedirectUrl } from './core/mcp/auth/mcpOAuthProvider';
import { oauthProviderFactory } from './core/mcp/auth/oauthProviderFactory';
import { MemoryOAuthStore } from './core/mcp/auth/oauthStore';
import { McpHub } from './core/mcp/hub';

const usage = `Usage:
  codemode run <script.ts|script.js|-> [--config FILE] [--json] [--timeout MS] [--memory MB] [--no-check] [--record RUN.json] [--approve NAME]...
  codemode check <script.ts|script.js|-> [--config FILE] [--json]
  codemode replay <RUN.json> [--script FILE] [--json]
  codemode types [--config FILE] [--out FILE]
  codemode tools [--config FILE] [--json]
  codemode serve [--config FILE] [--http [--port N]] [--timeout MS] [--memory MB] [--report-bytes N] [--approve NAME]...

serve: Code Mode as an MCP server (tools \`run\` and \`api\`) on stdio, or with --http on http://127.0.0.1:PORT/mcp
for clients sending "Authorization: Bearer <token>" (CODEMODE_SERVE_TOKEN, else a random token printed on stderr).

Approvals: a call to a tool that may change things (MCP annotations: not readOnlyHint) needs approval. run asks on the
terminal when it has one (not with a script on stdin), else refuses the call; serve asks the client (MCP elicitation)
when it can, else refuses. --approve server.tool, server.* or all approves calls in advance (repeatable).
CODEMODE_APPROVE_MODE=writes (default), destructive (only destructive calls need approval) or none.

Config: --config FILE alone; else your VS Code user mcp.json (CODEMODE_USER_MCP_JSON=FILE names another, =off skips
it) and ./.vscode/mcp.json, whose servers win on a name clash; with neither, the bundled demo servers.
\${input:ID} values come from CODEMODE_INPUT_<ID>. CODEMODE_LOG=debug shows more on stderr.
A script is type-checked against the API before it runs; one that would certainly fail does not run (--no-check skips it).
Exit codes: 0 success, 1 the script failed (or, for check, has a problem), 2 usage or configuration error.
`;

/** Usage errors exit with 2. */
class UsageError extends CodeModeError {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, script, ...extra] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  if (!['run', 'check', 'types', 'tools', 'serve', 'replay'].includes(command)) {
    throw new UsageError(`Unknown command "${command}"`);
  }
  const takesFile = command === 'run' || command === 'check' || command === 'replay';
  if ((takesFile && script === undefined) || extra.length > 0 || (!takesFile && script !== undefined)) {
    throw new UsageError(
      command === 'replay'
        ? 'replay needs exactly one recording (a RUN.json written by run --record)'
        : takesFile
          ? `${command} needs exactly one script (a file, or - for stdin)`
          : `${command} takes no file argument`,
    );
  }
  const approved = approvedNames(values.approve ?? []);
  // Someone at a terminal can answer questions (a script on stdin leaves no stdin to answer on).
  const canAsk = script !== '-' && process.stdin.isTTY === true && process.stderr.isTTY === true;
  const mode = approvalMode(process.env.CODEMODE_APPROVE_MODE);
  const logger = cliLogger();
  const scripts = { sandboxHost: join(__dirname, 'sandboxHost.js'), tokenWorker: join(__dirname, 'tokenWorker.js') };
  if (command === 'replay') {
    // No configuration and no server: the recording answers every call.
    return replayCommand({ recording: script!, script: values.script, json: values.json ?? false }, scripts, logger);
  }
  const packageRoot = join(__dirname, '..');
  const config = await loadConfig(values.config, packageRoot);
  for (const problem of config.problems) {
    logger.warn(`${problem} (skipped)`);
  }
  if (config.servers.length === 0 && config.problems.length > 0) {
    throw new CodeModeError(`No usable server in ${config.source}`);
  }
  const hub = new McpHub({
    logger,
    variables: environmentVariables(process.cwd()),
    // A remote server that answers 401: the user opens the printed URL and signs in; tokens last for this process.
    oauth: oauthProviderFactory({
      store: new MemoryOAuthStore(),
      authorizer: new LoopbackAuthorizer({ openUrl: (url) => logger.warn(`sign in to the MCP server: open ${url.href}`) }),
      clientName: 'Code Mode CLI',
      redirectUrl: defaultRedirectUrl,
    }),
  });
  await hub.reconcile(config.servers);
  try {
    switch (command) {
      case 'run':
        return await runCommand(
          hub,
          {
            script: script!,
            json: values.json ?? false,
            timeoutMs: positiveInteger(values.timeout, '--timeout'),
            memoryMb: positiveInteger(values.memory, '--memory'),
            check: !values['no-check'],
            approvals: cliApprovals(approved, mode, canAsk),
            interactive: canAsk && !values.json,
            record: values.record,
          },
          scripts,
          logger,
        );
      case 'check':
        return await checkCommand(hub, script!, values.json ?? false, logger);
      case 'types':
        return await typesCommand(hub, values.out, logger);
      case 'serve':
        return await serveCommand(
          hub,
          {
            httpPort: values.http ? (values.port === undefined ? 0 : portNumber(values.port)) : undefined,
            timeoutMs: positiveInteger(values.timeout, '--timeout'),
            memoryMb: positiveInteger(values.memory, '--memory'),
            reportBytes: positiveInteger(values['report-bytes'], '--report-bytes') ?? defaultReportBytes,
            approvalPolicy: { mode, allowed: approved },
            version: (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version,
          },
          scripts.sandboxHost,
          logger,
        );
      default:
        return await toolsCommand(hub, values.json ?? false);
    }
  } finally {
    await hub.closeAll();
  }
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        memory: { type: 'string' },
        'no-check': { type: 'boolean' },
        out: { type: 'string' },
        http: { type: 'boolean' },
        port: { type: 'string' },
        'report-bytes': { type: 'string' },
        approve: { type: 'string', multiple: true },
        record: { type: 'string' },
        script: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error: unknown) {
    throw new UsageError(errorMessage(error));
  }
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new UsageError(`${flag} needs a positive whole number, received "${text}"`);
  }
  return value;
}

function portNumber(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new UsageError(`--port needs a port number, received "${text}"`);
  }
  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`codemode: ${errorMessage(error)}\n${error instanceof UsageError ? `\n${usage}` : ''}`);
    process.exitCode = 2;
  },
);
