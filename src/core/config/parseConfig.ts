import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import type { InputSpec, ServerConfig } from './serverConfig';

export interface ParsedConfig {
  servers: ServerConfig[];
  inputs: InputSpec[];
  /** One line per skipped or repaired entry, naming its path: `servers.fs.args: expected array, received string`. */
  problems: string[];
}

// `env` values may be numbers or null in VS Code's mcp.json; null unsets a variable there, here it is dropped.
const envValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const stdioSchema = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1, 'must not be empty'),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), envValue).optional(),
  envFile: z.string().optional(),
  cwd: z.string().optional(),
});

const remoteSchema = z.object({
  type: z.enum(['http', 'sse']).optional(),
  url: z.string().min(1, 'must not be empty'),
  headers: z.record(z.string(), z.string()).optional(),
});

const inputSchema = z.object({
  id: z.string().min(1),
  type: z.enum(['promptString', 'pickString']).default('promptString'),
  description: z.string().optional(),
  password: z.boolean().optional(),
  default: z.string().optional(),
  options: z.array(z.string()).optional(),
});

/**
 * Reads VS Code's mcp.json shape: `{ servers: {...}, inputs: [...] }`. Never throws: a bad entry is reported in
 * `problems` and skipped, so the other servers keep working.
 */
export function parseConfig(raw: unknown, source = 'config'): ParsedConfig {
  const problems: string[] = [];
  if (!isRecord(raw)) {
    return { servers: [], inputs: [], problems: [`${source}: expected an object with "servers", received ${typeName(raw)}`] };
  }
  const servers = parseServers(raw.servers ?? {}, problems, 'servers');
  const inputs = parseInputs(raw.inputs ?? [], problems);
  return { servers, inputs, problems };
}

/** Reads mcp.json text, which may hold comments and trailing commas as VS Code allows. */
export function parseConfigText(text: string, source: string): ParsedConfig {
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0];
    const line = text.slice(0, first.offset).split('\n').length;
    return { servers: [], inputs: [], problems: [`${source}: invalid JSON (${printParseErrorCode(first.error)} at line ${line})`] };
  }
  return parseConfig(raw, source);
}

/** The value of the `codeMode.servers` setting: the same object as mcp.json's `servers`. */
export function parseServers(raw: unknown, problems: string[], path = 'servers'): ServerConfig[] {
  if (!isRecord(raw)) {
    problems.push(`${path}: expected object, received ${typeName(raw)}`);
    return [];
  }
  const servers: ServerConfig[] = [];
  for (const [name, entry] of Object.entries(raw)) {
    const server = parseServer(name, entry, `${path}.${name}`, problems);
    if (server) {
      servers.push(server);
    }
  }
  return servers;
}

function parseServer(name: string, entry: unknown, path: string, problems: string[]): ServerConfig | undefined {
  if (!isRecord(entry)) {
    problems.push(`${path}: expected object, received ${typeName(entry)}`);
    return undefined;
  }
  const type = entry.type ?? (entry.command !== undefined ? 'stdio' : entry.url !== undefined ? 'http' : undefined);
  if (type === undefined) {
    problems.push(`${path}: needs "command" (a stdio server) or "url" (an http or sse server)`);
    return undefined;
  }
  if (type === 'stdio') {
    const parsed = stdioSchema.safeParse(entry);
    if (!parsed.success) {
      return report(parsed.error, path, problems);
    }
    const { command, args = [], env = {}, envFile, cwd } = parsed.data;
    return { name, type, command, args, env: stringValues(env), envFile, cwd };
  }
  if (type === 'http' || type === 'sse') {
    const parsed = remoteSchema.safeParse(entry);
    if (!parsed.success) {
      return report(parsed.error, path, problems);
    }
    const { url, headers = {} } = parsed.data;
    if (!url.includes('${') && !isHttpUrl(url)) {
      problems.push(`${path}.url: expected an http(s) URL, received ${JSON.stringify(url)}`);
      return undefined;
    }
    return { name, type, url, headers };
  }
  problems.push(`${path}.type: expected "stdio", "http" or "sse", received ${JSON.stringify(type)}`);
  return undefined;
}

function parseInputs(raw: unknown, problems: string[]): InputSpec[] {
  if (!Array.isArray(raw)) {
    problems.push(`inputs: expected array, received ${typeName(raw)}`);
    return [];
  }
  const inputs: InputSpec[] = [];
  raw.forEach((entry, index) => {
    const parsed = inputSchema.safeParse(entry);
    if (!parsed.success) {
      report(parsed.error, `inputs.${index}`, problems);
      return;
    }
    inputs.push({ ...parsed.data, password: parsed.data.password ?? false });
  });
  return inputs;
}

function report(error: z.ZodError, path: string, problems: string[]): undefined {
  for (const issue of error.issues) {
    const where = [path, ...issue.path.map(String)].join('.');
    problems.push(`${where}: ${issue.message.replace(/^Invalid input: /, '')}`);
  }
  return undefined;
}

function stringValues(env: Record<string, string | number | boolean | null>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== null) {
      result[key] = String(value);
    }
  }
  return result;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
