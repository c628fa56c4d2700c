import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describeApi } from '../src/core/codegen/apiIndex';
import type { RunResult } from '../src/core/engine/engine';
import { modelReport } from '../src/core/engine/modelReport';
import type { ServerTools } from '../src/core/mcp/toolInfo';
import { projectRoot } from './setup';
import { agentLoop, systemPrompt, toolCall, toolDefinition, tokens, type LoopCost, type Turn } from './tokens';
import type { CallRecord } from './traditional';
import type { Workload } from './workloads';

/** What each approach puts in a model's context for one workload, replayed as an agent loop. */
export interface WorkloadCosts {
  /** One tool call per turn. */
  traditional?: LoopCost;
  /** Independent calls batched in one turn (parallel tool calls). */
  batched?: LoopCost;
  codeMode: LoopCost;
  peer?: LoopCost;
  /** Tokens of the texts Code Mode's model reads: index, script, report. */
  codeModeParts: { index: number; script: number; report: number };
}

/** The tools codemode_run and codemode_api exactly as the extension declares them to VS Code. */
function codeModeToolDefinitions(): string {
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    contributes: { languageModelTools: Array<{ name: string; modelDescription: string; inputSchema: unknown }> };
  };
  return JSON.stringify(
    manifest.contributes.languageModelTools.map((tool) => toolDefinition(tool.name, tool.modelDescription, tool.inputSchema)),
  );
}

/** The traditional agent: every tool of the workload's servers in context; each call and its full result appended. */
export function traditionalCost(
  workload: Workload,
  definitions: Array<{ server: string; tool: Tool }>,
  calls: readonly CallRecord[],
  answer: string,
  batched: boolean,
): LoopCost {
  const tools = JSON.stringify(
    definitions.map(({ server, tool }) => toolDefinition(`${server}_${tool.name}`, tool.description, tool.inputSchema)),
  );
  const groups = batched ? groupBy(calls, (call) => call.wave) : calls.map((call) => [call]);
  const turns: Turn[] = groups.map((group) => ({
    output: group.map((call) => toolCall(`${call.server}_${call.tool}`, call.args)),
    results: group.map((call) => call.resultText),
  }));
  return agentLoop([systemPrompt, tools, workload.task], [...turns, { output: [answer], results: [] }]);
}

/**
 * The Code Mode agent: the two Code Mode tools in context; it asks codemode_api for the index, whose one-line
 * signatures it writes the script from (describeApi, what the codemode_api tool returns), runs the script, and reads
 * the report (modelReport, what codemode_run returns).
 */
export function codeModeCost(
  workload: Workload,
  listing: readonly ServerTools[],
  run: RunResult,
  answer: string,
  contextServers: readonly string[] = workload.servers,
): Pick<WorkloadCosts, 'codeMode' | 'codeModeParts'> {
  const servers = listing.filter((server) => contextServers.includes(server.server));
  const index = describeApi(servers, [], []);
  const report = modelReport(run);
  const discovery: Turn[] = workload.tools.length ? [{ output: [toolCall('codemode_api', {})], results: [index] }] : [];
  const turns: Turn[] = [
    ...discovery,
    { output: [toolCall('codemode_run', { code: workload.script })], results: [report] },
    { output: [answer], results: [] },
  ];
  return {
    codeMode: agentLoop([systemPrompt, codeModeToolDefinitions(), workload.task], turns),
    codeModeParts: {
      index: discovery.length ? tokens(index) : 0,
      script: tokens(workload.script),
      report: tokens(report),
    },
  };
}

/**
 * The peer's agent: its agent prompt and the interfaces of every tool of the workload's servers up front (it has no
 * index or selection step), one call_tool_chain with the script, and the full JSON of its result and logs back.
 */
export function peerCost(workload: Workload, peerApi: string, peerOutput: { result: unknown; logs?: string[] }, answer: string): LoopCost {
  const tools = JSON.stringify([
    toolDefinition('call_tool_chain', 'Execute TypeScript code with direct access to the registered tools.', {
      type: 'object',
      properties: { code: { type: 'string' } },
      required: ['code'],
    }),
  ]);
  const turns: Turn[] = [
    {
      output: [toolCall('call_tool_chain', { code: workload.peerScript })],
      results: [JSON.stringify({ result: peerOutput.result, logs: peerOutput.logs ?? [] })],
    },
    { output: [answer], results: [] },
  ];
  return agentLoop([systemPrompt, peerApi, tools, workload.task], turns);
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): T[][] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return [...groups.values()];
}
