/** A server as configured, before `${...}` variables are resolved. */
export type ServerConfig = StdioServerConfig | RemoteServerConfig;

export interface StdioServerConfig {
  name: string;
  type: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  envFile?: string;
  cwd?: string;
}

export interface RemoteServerConfig {
  name: string;
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
}

/** An entry of mcp.json's `inputs`: a value asked of the user (or read from the environment by the CLI). */
export interface InputSpec {
  id: string;
  type: 'promptString' | 'pickString';
  description?: string;
  password: boolean;
  default?: string;
  options?: string[];
}

/** Two configs with the same fingerprint need no restart. */
export function fingerprint(config: ServerConfig): string {
  return JSON.stringify(config);
}
