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

/** What a call returned that a person could be shown rather than a script read: media, or an MCP Apps UI. */
export interface DisplayableOutput {
  /** MIME types of the images and audio in the content, in order. */
  media?: string[];
  /** The MCP Apps UI resource (`ui://…`) the result or its tool names. */
  appUri?: string;
}

const mimeType = /^[\w.+-]{1,60}\/[\w.+-]{1,60}$/;
const maxMediaListed = 20;

/**
 * Reads what could be shown to the user; undefined when there is nothing. Server data: a MIME type or URI that does
 * not look like one is dropped, so nothing odd reaches the report or the log.
 */
export function displayableOutput(result: CallToolResult, toolAppUri?: string): DisplayableOutput | undefined {
  const media = (result.content ?? [])
    .filter((item) => item.type === 'image' || item.type === 'audio')
    .map((item) => ('mimeType' in item && typeof item.mimeType === 'string' && mimeType.test(item.mimeType) ? item.mimeType : item.type))
    .slice(0, maxMediaListed);
  const appUri = uiResourceUri(result._meta) ?? toolAppUri;
  if (media.length === 0 && appUri === undefined) {
    return undefined;
  }
  return { ...(media.length ? { media } : {}), ...(appUri === undefined ? {} : { appUri }) };
}

/** `_meta.ui.resourceUri` when it is a `ui://` URI of reasonable length (MCP Apps). */
export function uiResourceUri(meta: unknown): string | undefined {
  const uri = (meta as { ui?: { resourceUri?: unknown } } | undefined)?.ui?.resourceUri;
  return typeof uri === 'string' && uri.length <= 300 && /^ui:\/\/[^\s]+$/.test(uri) ? uri : undefined;
}

/** The text an `isError` result carries, for the ToolError message. */
export function toolErrorText(result: CallToolResult): string {
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
