import type { Logger } from '../core/logger';
import { terminalText } from './terminalText';

const levels = ['trace', 'debug', 'info', 'warn', 'error'] as const;
type Level = (typeof levels)[number];

/** Logs to stderr from the level named by CODEMODE_LOG (default: warn), so stdout stays the result. */
export function cliLogger(levelName = process.env.CODEMODE_LOG ?? 'warn'): Logger {
  const threshold = Math.max(0, levels.indexOf(levelName as Level));
  const at = (level: Level) => (message: string | Error) => {
    if (levels.indexOf(level) >= threshold) {
      process.stderr.write(`[${level}] ${terminalText(message instanceof Error ? (message.stack ?? message.message) : message)}\n`);
    }
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
