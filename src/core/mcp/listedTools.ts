import type { Tool } from '@modelcontextprotocol/client';
import { hostLimits } from '../limits';
import type { Logger } from '../logger';
import { displayName } from '../safeText';
import { readAnnotations } from '../approval/toolAnnotations';
import { uiResourceUri } from './toolResult';
import type { ToolInfo } from './toolInfo';

/**
 * A server's tool list, bounded: at most `maxToolsPerServer` tools, and a tool whose name is longer than any script
 * may call is left out (with a warning), so the server's other tools stay usable. (The pages it arrives in are
 * bounded by the client's `listMaxPages`.)
 */
export function boundedTools(server: string, listed: readonly Tool[], logger: Logger): ToolInfo[] {
  const { maxToolsPerServer, maxNameChars } = hostLimits;
  const tools: ToolInfo[] = [];
  for (const tool of listed) {
    if (tool.name.length > maxNameChars) {
      logger.warn(`[${server}] tool ${displayName(tool.name, 40)} left out: its name is longer than ${maxNameChars} characters`);
    } else if (tools.length < maxToolsPerServer) {
      const appUri = uiResourceUri(tool._meta);
      const annotations = readAnnotations(tool.annotations);
      const requiresTask = (tool as { execution?: { taskSupport?: unknown } }).execution?.taskSupport === 'required';
      tools.push({
        name: tool.name,
        title: tool.title ?? tool.annotations?.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        ...(appUri === undefined ? {} : { appUri }),
        ...(annotations === undefined ? {} : { annotations }),
        ...(requiresTask ? { requiresTask } : {}),
      });
    }
  }
  if (listed.length > tools.length && tools.length === maxToolsPerServer) {
    logger.warn(`[${server}] tool list cut off at ${maxToolsPerServer} tools`);
  }
  return tools;
}
