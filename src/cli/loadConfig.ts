import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { mergeLayers, type ConfigLayer } from '../core/config/configLayers';
import { parseConfigText, type ParsedConfig } from '../core/config/parseConfig';
import { defaultUserMcpJson } from '../core/config/userMcpJson';
import { CodeModeError, errorMessage } from '../core/errors';
import { demoServers } from './demoConfig';

export interface LoadedConfig extends ParsedConfig {
  /** Where the configuration came from, for messages. */
  source: string;
}

export interface ConfigPlace {
  /** Where `./.vscode/mcp.json` is looked for. */
  cwd: string;
  /** CODEMODE_USER_MCP_JSON (a path, or `off`) and the variables VS Code's own folders depend on. */
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * `--config FILE` alone when given. Otherwise the user's VS Code `mcp.json` (CODEMODE_USER_MCP_JSON names another
 * file, `off` skips it), then `./.vscode/mcp.json`, whose servers replace the user's of the same name; with neither
 * file, the bundled demo servers.
 */
export async function loadConfig(configPath: string | undefined, packageRoot: string, place?: ConfigPlace): Promise<LoadedConfig> {
  const { cwd, env, platform, home } = place ?? { cwd: process.cwd(), env: process.env };
  if (configPath !== undefined) {
    const text = await readRequired(resolve(cwd, configPath));
    return { source: configPath, ...parseConfigText(text, configPath) };
  }
  const userSetting = env.CODEMODE_USER_MCP_JSON;
  const userPath = userSetting === 'off' ? undefined : resolve(cwd, userSetting || defaultUserMcpJson(env, platform, home));
  const candidates = [
    ...(userPath ? [{ path: userPath, source: `user mcp.json (${userPath})` }] : []),
    { path: join(cwd, '.vscode', 'mcp.json'), source: join('.vscode', 'mcp.json') },
  ];
  const layers: ConfigLayer[] = [];
  for (const { path, source } of candidates) {
    const text = await readOptional(path);
    if (text !== undefined) {
      layers.push({ source, config: parseConfigText(text, source) });
    }
  }
  if (layers.length === 0) {
    return { source: 'bundled demo servers', servers: demoServers(packageRoot), inputs: [], problems: [] };
  }
  const merged = mergeLayers(layers);
  return {
    source: layers.map((layer) => layer.source).join(' + '),
    servers: merged.servers,
    inputs: layers.flatMap((layer) => layer.config.inputs),
    problems: merged.problems,
  };
}

async function readRequired(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw new CodeModeError(`Cannot read the configuration ${path}: ${errorMessage(error)}`);
  }
}

/** A file that need not exist; one that exists but cannot be read is an error worth stopping for. */
async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new CodeModeError(`Cannot read the configuration ${path}: ${errorMessage(error)}`);
  }
}
