// What the scripted model records of every request it receives, in a form free of `vscode` types: shared by the
// test extension (which writes it), the e2e checks and the benchmark (which read it and count its tokens).

export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; content: Part[]; isError?: boolean }
  | { kind: 'data'; mimeType: string; bytes: number; text?: string }
  | { kind: 'other'; type: string; json: string };

export interface Message {
  role: string;
  name?: string;
  parts: Part[];
}

export interface OfferedTool {
  name: string;
  description: string;
  inputSchema?: unknown;
}

/** The scenario the runner asks the scripted model to play; written to `control.json` before each prompt. */
export interface Control {
  /** Prefix of the call ids this play uses, unique per prompt: the model finds its own earlier calls by it. */
  runId: string;
  /** A workflow name from workflows.ts. */
  workflow: string;
  /** Whatever the workflow needs (a folder, a workload id, a mode). */
  params?: Record<string, unknown>;
}

export interface RecordedRequest {
  seq: number;
  /** Epoch ms when the request arrived, and how long the scripted answer took. */
  at: number;
  ms: number;
  runId?: string;
  workflow?: string;
  /**
   * `agent`: a round of the agent loop (tools offered); `compaction`: the agent asking for a summary of a
   * conversation grown too large for the model's window; `side`: no tools offered (chat titles and the like).
   */
  kind: 'agent' | 'compaction' | 'side';
  model: string;
  toolMode: string;
  messages: Message[];
  tools: OfferedTool[];
  response: Part[];
  /** Set when the workflow could not go on: the text the model answered instead. */
  problem?: string;
}

/** Text of the tool results in a message list, by call id. */
export function toolResults(messages: readonly Message[]): Map<string, string> {
  const results = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.kind === 'toolResult') {
        results.set(part.callId, partsText(part.content));
      }
    }
  }
  return results;
}

/** The text a model reads from a list of parts (tool calls as JSON, data parts only when they are text). */
export function partsText(parts: readonly Part[]): string {
  return parts
    .map(partText)
    .filter((text) => text !== '')
    .join('\n');
}

export function partText(part: Part): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'toolCall':
      return JSON.stringify({ name: part.name, arguments: part.input });
    case 'toolResult':
      return partsText(part.content);
    case 'data':
      return part.text ?? '';
    case 'other':
      return part.json;
  }
}
