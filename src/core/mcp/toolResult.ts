import type { CallToolResult } from '@modelcontextprotocol/client';

/**
 * What a script receives from a call (ARCHITECTURE.md §3.2): `structuredContent` when sent; else, when every
 * content item is text, the joined text parsed as JSON when it is JSON, otherwise the text; else the content array.
 */
export function unwrapToolResult(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) {
    return result.structuredContent;
  }
  const content = result.content ?? [];
  if (!content.every((item) => item.type === 'text')) {
    return content;
  }
  const text = content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
  return parseJsonOrText(text);
}

/** The text an `isError` result carries, for the ToolError message. */
export function errorText(result: CallToolResult): string {
  const text = (result.content ?? [])
    .map((item) => (item.type === 'text' ? item.text : `[${item.type}]`))
    .join('\n')
    .trim();
  return text || 'the tool reported an error without a message';
}

function parseJsonOrText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[[{"\d-]|^(true|false|null)$/.test(trimmed)) {
    return text;
  }
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}
