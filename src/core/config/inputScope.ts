import { createHash } from 'node:crypto';
import { fingerprint, type ServerConfig } from './serverConfig';

/** Where an `${input:ID}` value is used: the workspace, and the configuration of the servers that receive it. */
export interface InputScope {
  /** The workspace folder's URI ('' without one). */
  workspace: string;
  servers: readonly ServerConfig[];
}

/**
 * The key a saved `${input:ID}` value is kept under. A value is given only where it was entered: another
 * workspace naming the same id, or a server here whose command, URL, arguments or environment changed, is asked
 * again, so a cloned repository cannot route a saved token to a program of its own.
 */
export function inputKey(id: string, scope: InputScope): string {
  const reference = `\${input:${id}}`;
  const receivers = scope.servers
    .filter((server) => fingerprint(server).includes(reference))
    .map(fingerprint)
    .sort();
  return createHash('sha256')
    .update(JSON.stringify([scope.workspace, id, receivers]))
    .digest('hex');
}
