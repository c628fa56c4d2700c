// The plays of the scripted model. A play is a generator: it yields the tool calls of one model turn and receives
// their results, and returns the final answer. The model keeps no state between requests: for each request it
// replays the play from the start, feeding it the results of its own earlier calls found in the messages (by call
// id), and answers with the first turn whose results are not there yet. So every decision is taken from what the
// request carries, as a real model's would be.
import { bugFixes, combineOrders, noteStats, projectStats, revenueByRegion, type Entity } from '../../bench/workloads';
import type { OfferedTool } from './transcript';

export interface Call {
  /** The tool's name as offered to the model. */
  tool: string;
  input: Record<string, unknown>;
}

export interface Reply {
  text: string;
  isError: boolean;
}

export type Play = Generator<Call[], string, Reply[]>;

export interface PlayContext {
  tools: readonly OfferedTool[];
  params: Record<string, unknown>;
  /** The names of the tools this play called at a turn, as the request's messages record them. */
  calledAt(turn: number): string[];
}

/** Thrown by a play that cannot go on (a tool it needs is not offered, a result it cannot read): the model says so. */
export class PlayError extends Error {
  override name = 'PlayError';
}

export const workflows: Record<string, (context: PlayContext) => Play> = {
  codeMode: codeModePlay,
  traditional: traditionalPlay,
};

// ---- Code Mode: (index →) (declarations →) run (→ fixed run) → answer -----------------------------------------------

/**
 * params: `tools` (the `server.tool` names the script uses), `script`, optionally `declarations: true` (ask for
 * their full declarations too), and `fixedScript`, run when the first one fails (the model fixing its code from the
 * error text it got back). Offered as an MCP server (`mcp_code_mode_run`, the API in its description) the model reads
 * the API from the tool list and runs at once; offered as Language Model Tools it asks codemode_api first.
 */
function* codeModePlay({ tools, params }: PlayContext): Play {
  // VS Code names an MCP server's tools after its title: mcp_code_mode_run.
  const served = tools.find((tool) => /^mcp_code_?mode_run$/.test(tool.name));
  const preferServed = params.offering !== 'languageModelTools';
  const run = served && preferServed ? served.name : toolNamed(tools, 'codemode_run');
  const api = served && preferServed ? toolNamed(tools, served.name.replace(/_run$/, '_api')) : toolNamed(tools, 'codemode_api');
  const index = served && preferServed ? (served.description ?? '') : (yield [{ tool: api, input: {} }])[0].text;
  const wanted = params.tools as string[];
  for (const name of wanted) {
    const [server, tool] = name.split('.');
    if (!index.includes(`Server "${server}"`) || !index.includes(tool.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()))) {
      throw new PlayError(`the API index lacks ${name}:\n${index}`);
    }
  }
  // The index's one-line signatures are enough for these scripts; a play can still ask for the full declarations.
  if (params.declarations === true) {
    const [declarations] = yield [{ tool: api, input: { tools: wanted } }];
    if (!declarations.text.includes('declare')) {
      throw new PlayError(`the API tool gave no declarations:\n${declarations.text}`);
    }
  }
  let [report] = yield [{ tool: run, input: { code: params.script as string } }];
  if (report.text.startsWith('The script failed') && typeof params.fixedScript === 'string') {
    [report] = yield [{ tool: run, input: { code: params.fixedScript } }];
  }
  if (!report.text.startsWith('Result')) {
    return `The script did not succeed:\n\n${report.text}`;
  }
  const result = /^Result[^\n]*\n([\s\S]*?)\n\n(?:Console:|Tool calls:|No tool calls)/.exec(report.text)?.[1] ?? '';
  const calls = /Tool calls: (\d+)/.exec(report.text)?.[1] ?? '0';
  return `Done with one Code Mode script (${calls} MCP tool calls). It returned:\n\n\`\`\`json\n${pretty(result)}\n\`\`\``;
}

// ---- Traditional: the MCP tools called directly, one per turn or the independent ones batched ------------------------

interface Plan {
  first: { server: string; tool: string; input: Record<string, unknown> };
  /** The calls that need the first result; independent of each other. */
  next(first: string): Array<{ server: string; tool: string; input: Record<string, unknown> }>;
  answer(first: string, rest: string[]): unknown;
}

/** params: `workload` (W3, W5, W5-fs, W5-memory), `batched`, `notesDir` (W5-fs). */
function* traditionalPlay(context: PlayContext): Play {
  const { tools, params } = context;
  const plan = plans[params.workload as string]?.(params);
  if (!plan) {
    throw new PlayError(`no traditional plan for ${String(params.workload)}`);
  }
  const turns = { count: 0 };
  const ask = function* (calls: Call[]): Generator<Call[], Reply[], Reply[]> {
    const replies = yield calls;
    turns.count++;
    return replies;
  };
  const call = (step: { server: string; tool: string; input: Record<string, unknown> }): Call => ({
    tool: mcpToolNamed(tools, step.server, step.tool),
    input: step.input,
  });
  /** Over 128 tools Copilot Chat groups them behind `activate_*` tools: a model calls those to see the tools inside. */
  const offer = function* (steps: ReadonlyArray<{ server: string; tool: string }>): Generator<Call[], void, Reply[]> {
    const earlier = context.calledAt(turns.count);
    if (earlier.length > 0 && earlier.every((name) => name.startsWith('activate_'))) {
      yield* ask(earlier.map((name) => ({ tool: name, input: {} })));
      return;
    }
    const missing = steps.filter((step) => {
      try {
        mcpToolNamed(tools, step.server, step.tool);
        return false;
      } catch {
        return true;
      }
    });
    const groups = tools.filter((tool) => tool.name.startsWith('activate_'));
    if (missing.length === 0 || groups.length === 0) {
      return;
    }
    const mentioning = groups.filter((group) => missing.some((step) => `${group.name} ${group.description}`.includes(step.tool)));
    yield* ask((mentioning.length ? mentioning : groups).map((group) => ({ tool: group.name, input: {} })));
  };
  yield* offer([plan.first]);
  const [first] = yield* readBack(tools, yield* ask([call(plan.first)]), false, ask);
  failed(first);
  const next = plan.next(first.text);
  if (next.length === 0) {
    throw new PlayError(`nothing to look up in the first result: ${first.text.slice(0, 300)}`);
  }
  yield* offer(next);
  const replies: Reply[] = [];
  if (params.batched) {
    replies.push(...(yield* readBack(tools, yield* ask(next.map(call)), true, ask)));
  } else {
    for (const step of next) {
      replies.push(...(yield* readBack(tools, yield* ask([call(step)]), false, ask)));
    }
  }
  replies.forEach(failed);
  return `Done with ${next.length + 1} MCP tool calls. The answer:\n\n\`\`\`json\n${JSON.stringify(
    plan.answer(
      first.text,
      replies.map((reply) => reply.text),
    ),
    null,
    2,
  )}\n\`\`\``;
}

/**
 * GitHub Copilot Chat writes a tool result over 8 KB to a file (pretty-printed when it is JSON) and gives the model
 * "Large tool result (N KB) written to file. Use the read_file tool to access the content at: <path>" instead. The
 * model then reads it back with read_file, as a real one has to.
 */
function* readBack(
  tools: readonly OfferedTool[],
  replies: Reply[],
  batched: boolean,
  ask: (calls: Call[]) => Generator<Call[], Reply[], Reply[]>,
): Generator<Call[], Reply[], Reply[]> {
  const diverted = replies.map(
    (reply) =>
      /^Large tool result \((\d+)KB\) written to file\. Use the read_file tool to access the content at: (\S+)/.exec(reply.text)?.[2],
  );
  if (diverted.every((path) => path === undefined)) {
    return replies;
  }
  const readFile = toolNamed(tools, 'read_file');
  const out = [...replies];
  let pending = diverted.flatMap((path, index) => (path === undefined ? [] : [{ index, path, from: 1, text: '' }]));
  out.forEach((reply, index) => diverted[index] !== undefined && (out[index] = { ...reply, text: '' }));
  while (pending.length > 0) {
    // Batched: every file in one turn; else one read per turn. Each asks for everything from where it stands.
    const group = batched ? pending : pending.slice(0, 1);
    const read = yield* ask(
      group.map(({ path, from }) => ({
        tool: readFile,
        input: { filePath: path, startLine: from, endLine: from + 99_999 },
      })),
    );
    group.forEach((item, i) => {
      const truncated = /\n?\[File content truncated at line (\d+)\.[^\]]*\]\s*$/.exec(read[i].text);
      item.text += truncated ? read[i].text.slice(0, truncated.index) + '\n' : read[i].text;
      item.from = truncated ? Number(truncated[1]) + 1 : 0;
      out[item.index] = { text: item.text, isError: read[i].isError };
    });
    pending = pending.filter((item) => item.from > 0);
  }
  return out;
}

const plans: Record<string, (params: Record<string, unknown>) => Plan> = {
  W3: () => ({
    first: { server: 'bench', tool: 'records', input: { page: 1 } },
    next: (first) =>
      Array.from({ length: json<{ pages: number }>(first).pages - 1 }, (_, i) => ({
        server: 'bench',
        tool: 'records',
        input: { page: i + 2 },
      })),
    answer: (first, rest) =>
      revenueByRegion([first, ...rest].map((text) => json<{ records: Array<{ region: string; amount: number }> }>(text))),
  }),
  W5: () => ({
    first: { server: 'bench', tool: 'searchRecords', input: { category: 'tools', limit: 10 } },
    next: (first) =>
      json<{ items: Array<{ id: number }> }>(first).items.map((item) => ({ server: 'bench', tool: 'getRecord', input: { id: item.id } })),
    answer: (_, rest) => combineOrders(rest.map((text) => json(text))),
  }),
  'W5-fs': (params) => {
    const dir = params.notesDir as string;
    return {
      first: { server: 'fs', tool: 'list_directory', input: { path: dir } },
      next: (first) =>
        fileText(first)
          .split('\n')
          .filter((line) => line.startsWith('[FILE] ') && line.endsWith('.md'))
          .map((line) => line.slice('[FILE] '.length))
          .sort()
          .slice(0, 10)
          .map((name) => ({ server: 'fs', tool: 'read_text_file', input: { path: `${dir}/${name}` } })),
      answer: (first, rest) => {
        const names = plans['W5-fs'](params)
          .next(first)
          .map((step) => String(step.input.path).slice(dir.length + 1));
        return noteStats(names.map((name, i) => ({ name, text: fileText(rest[i]) })));
      },
    };
  },
  W6: () => ({
    first: { server: 'github', tool: 'list_issues', input: { owner: 'acme', repo: 'widgets', state: 'open', labels: ['bug'] } },
    next: (first) =>
      json<Array<{ number: number }>>(first).flatMap((bug) => [
        { server: 'github', tool: 'search_pull_requests', input: { query: `repo:acme/widgets fixes #${bug.number}` } },
        { server: 'github', tool: 'get_issue_comments', input: { owner: 'acme', repo: 'widgets', issue_number: bug.number } },
      ]),
    answer: (first, rest) => {
      const bugs = json<Array<{ number: number }>>(first);
      return bugFixes(
        bugs,
        bugs.map((_, i) => json<{ items: Array<{ state: string; merged: boolean }> }>(rest[2 * i]).items),
        bugs.map((_, i) => json<unknown[]>(rest[2 * i + 1]).length),
      );
    },
  }),
  'W5-memory': () => ({
    first: { server: 'memory', tool: 'search_nodes', input: { query: 'status:active' } },
    next: (first) =>
      json<{ entities: Array<{ name: string }> }>(first)
        .entities.map((entity) => entity.name)
        .sort()
        .slice(0, 10)
        .map((name) => ({ server: 'memory', tool: 'open_nodes', input: { names: [name] } })),
    answer: (_, rest) => projectStats(rest.map((text) => json<{ entities: Entity[] }>(text).entities[0])),
  }),
};

// The computations of bench/workloads.ts, redone here from the texts the model reads (the scripted model must
// answer from its context alone). The bench checks that the answers equal Code Mode's results.

// ---- helpers ------------------------------------------------------------------------------------------------------

function toolNamed(tools: readonly OfferedTool[], name: string): string {
  if (!tools.some((tool) => tool.name === name)) {
    throw new PlayError(`the tool ${name} is not offered (offered: ${tools.map((tool) => tool.name).join(', ')})`);
  }
  return name;
}

/**
 * An MCP tool as the chat offers it. VS Code names them `mcp_<the server's own name, cut>_<tool>` (e.g.
 * `mcp_secure-filesy_read_text_file` for server-filesystem); the test extension's fallback registers
 * `<server>_<tool>`. A model goes by the name's end; when two servers have the tool, by the server in the name.
 */
export function mcpToolNamed(tools: readonly OfferedTool[], server: string, tool: string): string {
  const found = tools.filter(
    (offered) => offered.name === `${server}_${tool}` || (offered.name.startsWith('mcp_') && offered.name.endsWith(`_${tool}`)),
  );
  const chosen = found.length > 1 ? found.filter((offered) => offered.name.includes(server)) : found;
  if (chosen.length !== 1) {
    throw new PlayError(
      `${chosen.length ? 'several' : 'no'} ${server}.${tool} among the offered tools (${tools.map((offered) => offered.name).join(', ')})`,
    );
  }
  return chosen[0].name;
}

/** JSON laid out for reading; anything else as it is. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function json<T = unknown>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new PlayError(`a tool result is not JSON: ${text.slice(0, 200)}…`);
  }
}

/**
 * server-filesystem answers with text and a structuredContent `{ content }`; VS Code gives the model the
 * structuredContent (as JSON) when there is one, else the text.
 */
function fileText(text: string): string {
  try {
    const value = JSON.parse(text) as { content?: unknown };
    return typeof value?.content === 'string' ? value.content : text;
  } catch {
    return text;
  }
}

function failed(reply: Reply): void {
  if (reply.isError) {
    throw new PlayError(`a tool call failed: ${reply.text.slice(0, 500)}`);
  }
}
