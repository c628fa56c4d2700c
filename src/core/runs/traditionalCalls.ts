import type { CallToolResult } from '@modelcontextprotocol/client';

/**
 * How traditional tool calling shows a call to the model, as the benchmark models it (bench/tokens.ts): the call the
 * model writes, `{ name, arguments }` with the tool named `server_tool`, and the result's text items as the host
 * hands them over (the content array as JSON when an item is not text; the error text for a failed call).
 */
export function traditionalCallText(server: string, tool: string, argsJson: string): string {
  return `{"name":${JSON.stringify(`${server}_${tool}`)},"arguments":${argsJson}}`;
}

export function traditionalResultText(result: CallToolResult | undefined, error: string | undefined): string {
  if (!result) {
    return error ?? '';
  }
  const texts = result.content.filter((item) => item.type === 'text').map((item) => item.text);
  return texts.length === result.content.length ? texts.join('\n') : JSON.stringify(result.content);
}

/** The call that runs a script, as the model writes it. */
export function codeModeCallText(script: string): string {
  return JSON.stringify({ name: 'codemode_run', arguments: { code: script } });
}
