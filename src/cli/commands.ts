import { readFile, writeFile } from 'node:fs/promises';
import { bindApi } from '../core/codegen/identifiers';
import { generateDts } from '../core/codegen/dts';
import { ScriptChecker } from '../core/check/scriptChecker';
import { Engine, type RunResult } from '../core/engine/engine';
import { CodeModeError, errorMessage } from '../core/errors';
import type { Logger } from '../core/logger';
import type { McpHub } from '../core/mcp/hub';
import { replayRun } from '../core/runs/replay';
import { RunRecorder } from '../core/runs/runRecorder';
import { createExecutor } from '../core/sandbox/createExecutor';
import { oneLine } from '../core/safeText';
import type { Approvals } from '../core/approval/approvalPolicy';
import { effectLines, scriptEffects } from '../core/approval/scriptEffects';
import { computedCallsIn, toolsNamedIn } from '../core/engine/scriptCalls';
import { terminalText } from './terminalText';
import { readRecording, writeRecording } from './recording';

export interface RunFlags {
  script: string;
  json: boolean;
  timeoutMs?: number;
  memoryMb?: number;
  /** False: run without the type check (`--no-check`). */
  check: boolean;
  /** Who approves the calls that may change things (`--approve`, a terminal prompt). */
  approvals: Approvals;
  /** A person is at the terminal: say first what the script reads and writes, as the chat's confirmation does. */
  interactive: boolean;
  /** `--record FILE`. */
  record?: string;
}

/** Files beside the CLI's bundle that a command may start. */
export interface CliScripts {
  sandboxHost: string;
  tokenWorker: string;
}

/** `codemode run`: exit code 0 on success, 1 when the script failed. */
export async function runCommand(hub: McpHub, flags: RunFlags, scripts: CliScripts, logger: Logger): Promise<number> {
  const source = await readScript(flags.script);
  const executor = await createExecutor({ configuredNodePath: process.env.CODEMODE_NODE, hostScript: scripts.sandboxHost, logger });
  const recorder = flags.record ? new RunRecorder({ origin: 'cli', label: flags.script, script: source }) : undefined;
  try {
    const engine = new Engine(hub, executor, logger);
    if (flags.check) {
      engine.warmCheck(); // while the servers start
    }
    if (flags.interactive) {
      const listing = await hub.listTools();
      const effects = scriptEffects(toolsNamedIn(source, bindApi(listing.servers)), listing.servers, computedCallsIn(source));
      process.stderr.write(
        effectLines(effects, (name) => terminalText(name))
          .map((line) => `codemode: ${line}\n`)
          .join(''),
      );
    }
    const result = await engine.run(source, {
      timeoutMs: flags.timeoutMs,
      memoryMb: flags.memoryMb,
      check: flags.check,
      approvals: flags.approvals,
      ...(recorder ? { observer: recorder, clock: recorder.clock } : {}),
    });
    process.stdout.write(flags.json ? `${JSON.stringify(toJson(result))}\n` : humanReport(result));
    if (recorder) {
      await writeRecording(recorder, result, flags.record!, scripts.tokenWorker);
    }
    return result.ok ? 0 : 1;
  } finally {
    await executor.dispose();
  }
}

/** `codemode check`: the problems that would stop the script from running; exit code 1 when there is one. */
export async function checkCommand(hub: McpHub, script: string, json: boolean, logger: Logger): Promise<number> {
  const source = await readScript(script);
  const checker = new ScriptChecker();
  // The servers start in their own processes meanwhile.
  const warmMs = checker.warm(logger);
  const listing = await hub.listTools();
  for (const failure of listing.failures) {
    logger.warn(`[${failure.server}] left out of the API: ${failure.message}`);
  }
  const check = checker.check(source, listing.servers, logger, listing.failures);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ ok: check.ok, diagnostics: check.diagnostics, stats: { warmMs, checkMs: check.durationMs } })}\n`,
    );
  } else if (!check.ok) {
    process.stdout.write(`${check.text}\n`);
  }
  return check.ok ? 0 : 1;
}

/**
 * `codemode replay RUN.json`: the recorded script (or `--script FILE`) against the recorded replies, no server. Exit 0
 * when it succeeds and returns what the recorded run returned, else 1.
 */
export async function replayCommand(
  flags: { recording: string; script?: string; json: boolean },
  scripts: CliScripts,
  logger: Logger,
): Promise<number> {
  const recorded = await readRecording(flags.recording);
  const script = flags.script === undefined ? undefined : await readScript(flags.script);
  const executor = await createExecutor({ configuredNodePath: process.env.CODEMODE_NODE, hostScript: scripts.sandboxHost, logger });
  try {
    const { run, sameResult } = await replayRun(recorded, executor, { script });
    const replay = { of: recorded.id, calls: run.calls.length, recordedCalls: recorded.calls.length, sameResult };
    process.stdout.write(flags.json ? `${JSON.stringify({ ...toJson(run), replay })}\n` : humanReport(run));
    if (!flags.json && !sameResult) {
      process.stderr.write(`the replay did not return what the recorded run returned (${recorded.ok ? 'it succeeded' : 'it failed'})\n`);
    }
    return run.ok && sameResult ? 0 : 1;
  } finally {
    await executor.dispose();
  }
}

/** `codemode types`: the generated .d.ts on stdout, or written to `--out`. */
export async function typesCommand(hub: McpHub, out: string | undefined, logger: Logger): Promise<number> {
  const listing = await hub.listTools();
  for (const failure of listing.failures) {
    logger.warn(`[${failure.server}] left out of the API: ${failure.message}`);
  }
  const dts = generateDts(listing.servers);
  if (out) {
    await writeFile(out, dts);
    process.stderr.write(`wrote ${out}\n`);
  } else {
    process.stdout.write(dts);
  }
  return 0;
}

/** `codemode tools`: servers, their state, their tools. */
export async function toolsCommand(hub: McpHub, json: boolean): Promise<number> {
  const listing = await hub.listTools();
  const bindings = bindApi(listing.servers);
  const servers = hub.status().map((status) => ({
    ...status,
    tools: (listing.servers.find((entry) => entry.server === status.name)?.tools ?? []).map((tool) => {
      const binding = bindings.find((b) => b.server === status.name && b.tool === tool.name);
      return {
        name: tool.name,
        call: binding ? `mcp.${binding.serverId}.${binding.toolId}` : undefined,
        description: firstLine(tool.description),
      };
    }),
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ servers })}\n`);
    return 0;
  }
  for (const server of servers) {
    process.stdout.write(`${oneLine(server.name)} (${server.state}${server.error ? `: ${oneLine(server.error)}` : ''})\n`);
    for (const tool of server.tools) {
      process.stdout.write(`  ${tool.call ?? oneLine(tool.name)}  ${oneLine(tool.description)}\n`);
    }
  }
  return 0;
}

async function readScript(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = path === '-' ? await readStdin() : await readFile(path);
  } catch (error: unknown) {
    throw new CodeModeError(`Cannot read the script ${path}: ${errorMessage(error)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CodeModeError(`The script ${path === '-' ? 'on stdin' : path} is not valid UTF-8 text`);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The `--json` shape of ARCHITECTURE.md §3.3. */
function toJson(result: RunResult) {
  return {
    ok: result.ok,
    result: result.result,
    logs: result.logs,
    calls: result.calls.map(({ server, tool, ms, ok }) => ({ server, tool, ms, ok })),
    ...(result.error
      ? { error: { name: result.error.name, message: result.error.message, line: result.error.line, column: result.error.column } }
      : {}),
    ...(result.diagnostics ? { diagnostics: result.diagnostics } : {}),
    stats: { ...result.stats, calls: result.calls.length },
  };
}

/** Console output and errors on stderr, the result on stdout; all of it inert in a terminal (see terminalText). */
function humanReport(result: RunResult): string {
  const logs = result.logs.map((entry) => `[${entry.level}] ${terminalText(entry.text)}\n`).join('');
  process.stderr.write(logs + (result.stats.droppedLogs ? `[…] ${result.stats.droppedLogs} more console entries dropped\n` : ''));
  if (!result.ok) {
    process.stderr.write(`${terminalText(result.text)}\n`);
    return '';
  }
  return `${terminalText(result.text, '')}\n`;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].trim();
}
