// Runs the bundled CLI (dist/cli.js) in a child process, as a user's shell would.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../helpers';

const cli = join(projectRoot, 'dist', 'cli.js');

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function codemode(
  args: string[],
  options: { cwd: string; stdin?: string; env?: Record<string, string>; node?: string },
): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [cli, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
