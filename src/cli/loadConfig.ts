import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseConfigText, type ParsedConfig } from '../core/config/parseConfig';
import { CodeModeError, errorMessage } from '../core/errors';
import { demoServers } from './demoConfig';

export interface LoadedConfig extends ParsedConfig {
  /** Where the configuration came from, for messages. */
  source: string;
}

/** `--config FILE`, else `./.vscode/mcp.json`, else the bundled demo servers. */
export async function loadConfig(configPath: string | undefined, packageRoot: string): Promise<LoadedConfig> {
  const path = configPath ?? (existsSync(join('.vscode', 'mcp.json')) ? join('.vscode', 'mcp.json') : undefined);
  if (path === undefined) {
    return { source: 'bundled demo servers', servers: demoServers(packageRoot), inputs: [], problems: [] };
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw new CodeModeError(`Cannot read the configuration ${resolve(path)}: ${errorMessage(error)}`);
  }
  return { source: path, ...parseConfigText(text, path) };
}
