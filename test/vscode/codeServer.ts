// Starts code-server (the real VS Code server + web workbench, installed by setup.sh)
// on a free port with throwaway profile folders, and stops it with its whole process group.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { exitCode, killGroup, spawnGroup } from './processGroup';

export interface CodeServerOptions {
  /** Folder opened when the URL names none. */
  folder?: string;
  /**
   * Keep workspace trust on (default false: `--disable-workspace-trust`, every folder
   * trusted). With trust on, folders open in restricted mode; add the setting
   * `"security.workspace.trust.startupPrompt": "never"` to skip the trust dialog.
   */
  workspaceTrust?: boolean;
  /**
   * `--vscode-option enable-smoke-test-driver` (default false): needed to run extension
   * tests (runExtensionTests sets it), but it also stops notification toasts from showing.
   */
  smokeTestDriver?: boolean;
  /** Written to `<user-data-dir>/User/settings.json` before start. */
  settings?: Record<string, unknown>;
  /** VSIX files installed into the scratch extensions folder before start. */
  vsixFiles?: string[];
  /** Extra environment for code-server; it reaches the extension host too. */
  env?: Record<string, string>;
  /** Extra command-line arguments. */
  args?: string[];
  /** Receives code-server's own stdout/stderr (default: kept only for error messages). */
  onOutput?: (text: string) => void;
  /** Leave the scratch folder on disk after stop, to debug a failure. */
  keepDirs?: boolean;
  /** How long to wait for `/healthz` (default 60 s). */
  startTimeoutMs?: number;
}

export interface CodeServerDirs {
  root: string;
  userData: string;
  extensions: string;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly dirs: CodeServerDirs;
  /** A local absolute path as the `vscode-remote://` URI the workbench resolves on this server. */
  remoteUri(absolutePath: string): string;
  /** Workbench URL; `payload` pairs go to the smoke-test driver (e.g. extensionTestsPath). */
  workbenchUrl(folder?: string, payload?: [string, string][]): string;
  /** Kills the process group (TERM, then KILL) and removes the scratch folder. Idempotent. */
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const { nodeBinary, entryScript } = findInstall();
  const dirs = await makeDirs();
  // VSCODE_TEST_USER_DATA_DIR lets tests in the extension host read output channel logs.
  const env = { ...process.env, ...xdgEnv(dirs.root), VSCODE_TEST_USER_DATA_DIR: dirs.userData, ...options.env };
  const output = new OutputTail(options.onOutput);
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child?.pid !== undefined) {
      await killGroup(child.pid);
      child = undefined;
    }
    if (!options.keepDirs) {
      await rm(dirs.root, { recursive: true, force: true });
    }
  };
  try {
    if (options.settings) {
      await writeFile(join(dirs.userData, 'User/settings.json'), JSON.stringify(options.settings, null, 2));
    }
    for (const vsix of options.vsixFiles ?? []) {
      await installVsix(dirs, vsix, env, output);
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The last argument removes the scratch folder if the test process is killed before stop().
    child = spawnGroup(nodeBinary, [entryScript, ...serverArgs(dirs, port, options)], { env, stdio: ['ignore', 'pipe', 'pipe'] }, () => {
      if (!options.keepDirs) {
        rmSync(dirs.root, { recursive: true, force: true });
      }
    });
    output.attach(child);
    await waitForHealthy(url, child, output, options.startTimeoutMs ?? 60_000);
    const authority = `127.0.0.1:${port}`;
    const remoteUri = (path: string) => `vscode-remote://${authority}${encodePath(path)}`;
    return {
      url,
      dirs,
      remoteUri,
      workbenchUrl(folder, payload) {
        const query = new URLSearchParams();
        if (folder) {
          query.set('folder', folder);
        }
        if (payload) {
          query.set('payload', JSON.stringify(payload));
        }
        const search = query.toString();
        return search ? `${url}/?${search}` : `${url}/`;
      },
      stop,
    };
  } catch (e: unknown) {
    await stop();
    throw e;
  }
}

/**
 * setup.sh installs code-server into <repo>/.cache/code-server, with a link to the Node 24
 * its native modules were built for. Found by walking up, so bundled copies of this file work too.
 */
function findInstall(): { nodeBinary: string; entryScript: string } {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const installDir = join(dir, '.cache/code-server');
    if (existsSync(join(installDir, '.installed'))) {
      return { nodeBinary: join(installDir, 'node'), entryScript: join(installDir, 'node_modules/code-server/out/node/entry.js') };
    }
    if (dirname(dir) === dir) {
      throw new Error('code-server is not installed: run test/vscode/setup.sh');
    }
  }
}

function serverArgs(dirs: CodeServerDirs, port: number, options: CodeServerOptions): string[] {
  return [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    // Makes the workbench run payload extensionTestsPath and call window.codeAutomationLog/Exit.
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.args ?? []),
    ...(options.folder ? [options.folder] : []),
  ];
}

async function installVsix(dirs: CodeServerDirs, vsix: string, env: NodeJS.ProcessEnv, output: OutputTail): Promise<void> {
  const { nodeBinary, entryScript } = findInstall();
  const child = spawnGroup(
    nodeBinary,
    [entryScript, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', resolve(vsix)],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  output.attach(child);
  const code = await exitCode(child);
  await killGroup(child.pid!, 0); // also forgets the group
  if (code !== 0) {
    throw new Error(`installing ${vsix} failed (exit ${code}):\n${output.tail()}`);
  }
}

async function makeDirs(): Promise<CodeServerDirs> {
  const root = await mkdtemp(join(tmpdir(), 'code-server-'));
  const dirs = { root, userData: join(root, 'user-data'), extensions: join(root, 'extensions') };
  await mkdir(join(dirs.userData, 'User'), { recursive: true });
  await mkdir(dirs.extensions);
  return dirs;
}

// Without these, code-server writes ~/.config/code-server/config.yaml and friends.
function xdgEnv(root: string): Record<string, string> {
  return {
    XDG_CONFIG_HOME: join(root, 'xdg/config'),
    XDG_DATA_HOME: join(root, 'xdg/data'),
    XDG_CACHE_HOME: join(root, 'xdg/cache'),
    XDG_STATE_HOME: join(root, 'xdg/state'),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealthy(url: string, child: ChildProcess, output: OutputTail, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output.tail()}`);
    }
  }
  throw new Error(`code-server not healthy after ${timeoutMs} ms:\n${output.tail()}`);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Forwards process output to a callback and keeps its end for error messages. */
class OutputTail {
  private text = '';

  constructor(private readonly onOutput?: (text: string) => void) {}

  attach(child: ChildProcess): void {
    const take = (chunk: Buffer) => {
      const s = chunk.toString();
      this.onOutput?.(s);
      this.text = (this.text + s).slice(-4000);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.on('error', (e) => take(Buffer.from(`${e.message}\n`))); // e.g. spawn ENOENT
  }

  tail(): string {
    return this.text;
  }
}
