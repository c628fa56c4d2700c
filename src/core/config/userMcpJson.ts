import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where desktop VS Code keeps the default profile's user-level `mcp.json`: `<user data>/User/mcp.json`, the user data
 * folder being `$VSCODE_APPDATA/Code` when set, else `%APPDATA%\Code` (Windows), `~/Library/Application Support/Code`
 * (macOS), `$XDG_CONFIG_HOME/Code` or `~/.config/Code` (Linux), as VS Code itself computes it.
 */
export function defaultUserMcpJson(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const appData =
    env.VSCODE_APPDATA ??
    (platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config')));
  return join(appData, 'Code', 'User', 'mcp.json');
}
