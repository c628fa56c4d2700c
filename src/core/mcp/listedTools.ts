import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { hostLimits } from '../limits';
import type { Logger } from '../logger';
import { displayName } from '../safeText';
import type { ToolInfo } from './toolInfo';

/** One page of a server's tool list, as the client receives it. */
export interface ToolPage {
  tools: Tool[];
  nextCursor?: string;
}

/**
 * A server's whole tool list, bounded: at most `maxToolListPages` pages (a server that pages forever, or repeats a
 * cursor, is cut off there, with a warning) and `maxToolsPerServer` tools; a tool whose name is longer than any
 * script may call is left out. What was gathered is kept, so the server's other tools stay usable.
 */
export async function listAllTools(server: string, fetchPage: (cursor?: string) => Promise<ToolPage>, logger: Logger): Promise<ToolInfo[]> {
  const { maxToolListPages, maxToolsPerServer, maxNameChars } = hostLimits;
  const tools: ToolInfo[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages === maxToolListPages || tools.length >= maxToolsPerServer) {
      logger.warn(`[${server}] tool list cut off after ${pages} pages and ${tools.length} tools`);
      break;
    }
    const page = await fetchPage(cursor);
    for (const tool of page.tools) {
      if (tool.name.length > maxNameChars) {
        logger.warn(`[${server}] tool ${displayName(tool.name, 40)} left out: its name is longer than ${maxNameChars} characters`);
      } else if (tools.length < maxToolsPerServer) {
        tools.push({
          name: tool.name,
          title: tool.title ?? tool.annotations?.title,
          description: tool.description,
          inputSchema: tool.inputSchema,
          outputSchema: tool.outputSchema,
        });
      }
    }
    cursor = page.nextCursor;
    if (!cursor || seenCursors.has(cursor)) {
      break;
    }
    seenCursors.add(cursor);
  }
  return tools;
}
