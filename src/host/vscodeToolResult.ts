import type { CallToolResult } from '@modelcontextprotocol/client';
import * as vscode from 'vscode';

/**
 * A VS Code tool's result in MCP's shape, so a script gets it unwrapped as it gets an MCP server's (toolResult.ts):
 * text parts and JSON or text data parts become text, images stay images; other parts are named, not passed on.
 */
export function toCallToolResult(result: vscode.LanguageModelToolResult): CallToolResult {
  const content: CallToolResult['content'] = [];
  for (const part of result.content) {
    if (part instanceof vscode.LanguageModelTextPart) {
      content.push({ type: 'text', text: part.value });
    } else if (isDataPart(part)) {
      const mime = part.mimeType;
      if (mime === 'application/json' || mime.startsWith('text/') || mime.endsWith('+json')) {
        content.push({ type: 'text', text: new TextDecoder().decode(part.data) });
      } else if (mime.startsWith('image/')) {
        content.push({ type: 'image', data: Buffer.from(part.data).toString('base64'), mimeType: mime });
      } else {
        content.push({ type: 'text', text: `[${part.data.byteLength} bytes of ${mime} left out]` });
      }
    }
  }
  return { content };
}

/** `LanguageModelDataPart` (newer than the API version this extension requires): recognised by its shape. */
function isDataPart(part: unknown): part is { mimeType: string; data: Uint8Array } {
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof (part as { mimeType?: unknown }).mimeType === 'string' &&
    (part as { data?: unknown }).data instanceof Uint8Array
  );
}
