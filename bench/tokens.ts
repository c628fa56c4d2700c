import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token cost of a chat agent's loop, counted with a real tokenizer (o200k_base, GPT-4o's and later).
 *
 * The model: each turn the model reads the whole context (input tokens), writes tool calls or the answer (output
 * tokens), and the tool results are appended. So a result read at turn k is paid again at every later turn.
 * Every message costs its text plus `messageOverhead` tokens of chat framing (role and separators).
 */
export const messageOverhead = 4;

export const systemPrompt = 'You are a coding assistant in VS Code. Use the available tools to do what the user asks, then answer briefly.';

export interface Turn {
  /** What the model writes this turn: tool calls (as JSON) or the final answer. */
  output: string[];
  /** Tool results appended after it. */
  results: string[];
}

export interface LoopCost {
  turns: number;
  /** Input tokens summed over the turns: the context is re-read at each. */
  input: number;
  output: number;
  /** The largest context the model had to read in one turn. */
  peak: number;
  total: number;
}

const cache = new Map<string, number>();

export function tokens(text: string): number {
  let count = cache.get(text);
  if (count === undefined) {
    count = countTokens(text);
    cache.set(text, count);
  }
  return count;
}

const message = (text: string) => tokens(text) + messageOverhead;

/** Replays a loop: `prefix` (system prompt, tool definitions, the user's request) then the turns, the last being the answer. */
export function agentLoop(prefix: readonly string[], turns: readonly Turn[]): LoopCost {
  let context = prefix.reduce((sum, text) => sum + message(text), 0);
  const cost: LoopCost = { turns: turns.length, input: 0, output: 0, peak: 0, total: 0 };
  for (const turn of turns) {
    cost.input += context;
    cost.peak = Math.max(cost.peak, context);
    const written = turn.output.reduce((sum, text) => sum + message(text), 0);
    cost.output += written;
    context += written + turn.results.reduce((sum, text) => sum + message(text), 0);
  }
  cost.total = cost.input + cost.output;
  return cost;
}

/** A tool as a chat API receives it (OpenAI's function format; other providers' are close in size). */
export function toolDefinition(name: string, description: string | undefined, parameters: unknown): unknown {
  return { type: 'function', function: { name, description: description ?? '', parameters } };
}

export function toolCall(name: string, args: unknown): string {
  return JSON.stringify({ name, arguments: args });
}
