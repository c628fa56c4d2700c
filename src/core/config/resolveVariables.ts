import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseEnv } from 'node:util';
import { CodeModeError, errorMessage } from '../errors';
import type { RemoteServerConfig, ServerConfig, StdioServerConfig } from './serverConfig';

/** Where `${...}` values come from. The host asks the user for inputs; the CLI reads `CODEMODE_INPUT_<ID>`. */
export interface VariableSource {
  workspaceFolder?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `server`: the server whose configuration names the input (inputs belong to the file that declares them). */
  input(id: string, server: string): Promise<string | undefined>;
}

const variablePattern = /\$\{(workspaceFolder|userHome|env:[^}]+|input:[^}]+)\}/g;

/** Resolves every `${...}` of a server's config; throws a CodeModeError naming the field that cannot be resolved. */
export async function resolveVariables<T extends ServerConfig>(config: T, source: VariableSource): Promise<T> {
  const resolve = (text: string, field: string) => resolveText(text, `servers.${config.name}.${field}`, source, config.name);
  if (config.type === 'stdio') {
    const stdio: StdioServerConfig = config;
    const envFile = stdio.envFile === undefined ? undefined : await resolve(stdio.envFile, 'envFile');
    const fromFile = envFile === undefined ? {} : await readEnvFile(envFile, config.name);
    const env: Record<string, string> = { ...fromFile };
    for (const [key, value] of Object.entries(stdio.env)) {
      env[key] = await resolve(value, `env.${key}`);
    }
    const args: string[] = [];
    for (const [index, arg] of stdio.args.entries()) {
      args.push(await resolve(arg, `args.${index}`));
    }
    const resolved: StdioServerConfig = {
      ...stdio,
      command: await resolve(stdio.command, 'command'),
      args,
      env,
      envFile,
      cwd: stdio.cwd === undefined ? undefined : await resolve(stdio.cwd, 'cwd'),
    };
    return resolved as T;
  }
  const remote: RemoteServerConfig = config;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(remote.headers)) {
    headers[key] = await resolve(value, `headers.${key}`);
  }
  const url = await resolve(remote.url, 'url');
  if (!URL.canParse(url)) {
    throw new CodeModeError(`servers.${config.name}.url: not a valid URL after resolving variables`);
  }
  return { ...remote, url, headers } as T;
}

async function resolveText(text: string, field: string, source: VariableSource, server: string): Promise<string> {
  let result = '';
  let last = 0;
  for (const match of text.matchAll(variablePattern)) {
    result += text.slice(last, match.index) + (await resolveOne(match[1], field, source, server));
    last = match.index + match[0].length;
  }
  return result + text.slice(last);
}

async function resolveOne(name: string, field: string, source: VariableSource, server: string): Promise<string> {
  if (name === 'workspaceFolder') {
    if (source.workspaceFolder === undefined) {
      throw new CodeModeError(`${field}: \${workspaceFolder} is used but no folder is open`);
    }
    return source.workspaceFolder;
  }
  if (name === 'userHome') {
    return homedir();
  }
  if (name.startsWith('env:')) {
    return source.env[name.slice(4)] ?? '';
  }
  const id = name.slice('input:'.length);
  const value = await source.input(id, server);
  if (value === undefined) {
    throw new CodeModeError(`${field}: no value for \${input:${id}}`);
  }
  return value;
}

async function readEnvFile(path: string, server: string): Promise<Record<string, string>> {
  try {
    return parseEnv(await readFile(path, 'utf8')) as Record<string, string>;
  } catch (error: unknown) {
    throw new CodeModeError(`servers.${server}.envFile: cannot read ${path}: ${errorMessage(error)}`);
  }
}
