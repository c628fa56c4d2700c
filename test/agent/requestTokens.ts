// Tokens of the requests the scripted model received, counted with a real tokenizer (o200k_base, the one of
// GPT-4o and later; bench/tokens.ts). A request is what a chat API would be sent: every message (its text,
// its tool calls as JSON, its tool results' text, plus the same per-message framing the bench's model uses) and
// every offered tool as a function definition.
import { messageOverhead, tokens, toolDefinition } from '../../bench/tokens';
import { partsText, type OfferedTool, type Part, type RecordedRequest } from './transcript';

export interface RequestTokens {
  messages: number;
  tools: number;
  input: number;
  /** What the model wrote back (tool calls, text). */
  output: number;
}

export function toolTokens(tools: readonly OfferedTool[]): number {
  return tools.length ? tokens(JSON.stringify(tools.map((tool) => toolDefinition(tool.name, tool.description, tool.inputSchema)))) : 0;
}

export function toolEntryTokens(tool: OfferedTool): number {
  return tokens(JSON.stringify(toolDefinition(tool.name, tool.description, tool.inputSchema)));
}

export function requestTokens(request: RecordedRequest): RequestTokens {
  const messages = request.messages.reduce((sum, message) => sum + tokens(partsText(message.parts)) + messageOverhead, 0);
  const tools = toolTokens(request.tools);
  return { messages, tools, input: messages + tools, output: partsTokens(request.response) };
}

function partsTokens(parts: readonly Part[]): number {
  return parts.reduce((sum, part) => sum + tokens(partsText([part])) + messageOverhead, 0);
}

export interface LoopTokens {
  /** Requests offering tools: the rounds of the agent loop (model round trips). */
  roundTrips: number;
  /** Input tokens summed over every round: the context is sent again each time. */
  cumulative: number;
  /** The largest single request. */
  peak: number;
  output: number;
  /** The other requests of the play: chat titles (no tools) and conversation compaction, and their input tokens. */
  otherRequests: number;
  otherTokens: number;
  compactions: number;
  /** The first round's system prompt + tool definitions: what every round pays before any work. */
  fixed: { system: number; tools: number };
}

export function loopTokens(requests: readonly RecordedRequest[]): LoopTokens {
  const agent = requests.filter((request) => request.kind === 'agent');
  const other = requests.filter((request) => request.kind !== 'agent');
  const counted = agent.map(requestTokens);
  const first = agent[0];
  const system = first
    ? first.messages
        .filter((message) => message.role === 'system')
        .reduce((sum, message) => sum + tokens(partsText(message.parts)) + messageOverhead, 0)
    : 0;
  return {
    roundTrips: agent.length,
    cumulative: counted.reduce((sum, count) => sum + count.input, 0),
    peak: counted.reduce((max, count) => Math.max(max, count.input), 0),
    output: counted.reduce((sum, count) => sum + count.output, 0),
    otherRequests: other.length,
    otherTokens: other.map(requestTokens).reduce((sum, count) => sum + count.input, 0),
    compactions: other.filter((request) => request.kind === 'compaction').length,
    fixed: { system, tools: first ? toolTokens(first.tools) : 0 },
  };
}
