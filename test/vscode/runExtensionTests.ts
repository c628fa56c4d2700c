// Runs extension tests inside code-server's real extension host, the way
// `@vscode/test-electron` does in desktop VS Code: the workbench's smoke-test driver
// loads the extension under development, calls the tests' `run()`, streams the test
// output to window.codeAutomationLog and reports the result to window.codeAutomationExit.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
import { testOutputMark } from './testOutputMark';

export interface RunExtensionTestsOptions {
  /** Folder of the extension's package.json. */
  extensionDevelopmentPath: string;
  /** Compiled CommonJS module exporting `run(): Promise<void>`. */
  extensionTestsPath: string;
  /** Folder opened as the workspace. */
  workspace: string;
  /** User settings (`settings.json`) for this run. */
  settings?: Record<string, unknown>;
  /** Environment for code-server and thus the extension host (e.g. test parameters). */
  env?: Record<string, string>;
  /** Keep workspace trust on, so the workspace opens untrusted (default false). */
  workspaceTrust?: boolean;
  /** VSIX files installed first (e.g. extensions the one under test depends on). */
  vsixFiles?: string[];
  /** Fails the run (throws) after this long; default 180 s. */
  timeoutMs?: number;
  /**
   * Called when the tests have finished, before teardown: the workbench is still shown
   * (take a screenshot) and the logs are on disk (read output channels).
   */
  afterTests?: (page: Page, server: CodeServer) => Promise<void>;
  /**
   * Called once the workbench loads, while the tests run (the extension host is still up: what it shows is on the
   * page); its promise is awaited after the tests end, and its error fails the run.
   */
  whileTesting?: (page: Page, testsDone: Promise<unknown>) => Promise<void>;
  /** Receives each line of test output; default: stdout. */
  log?: (line: string) => void;
  /** Also print code-server's and the page's own output (default: env VSCODE_TEST_DEBUG). */
  debug?: boolean;
}

/**
 * Resolves with the exit code of the tests (0 = all passed). Throws when the run itself
 * breaks (code-server does not start, the page crashes, timeout). Always stops
 * code-server and Chromium.
 */
export async function runExtensionTests(options: RunExtensionTestsOptions): Promise<number> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const debug = options.debug ?? Boolean(process.env.VSCODE_TEST_DEBUG);
  const server = await startCodeServer({
    settings: options.settings,
    env: options.env,
    workspaceTrust: options.workspaceTrust,
    vsixFiles: options.vsixFiles,
    smokeTestDriver: true,
    onOutput: debug ? (text) => process.stderr.write(`[code-server] ${text}`) : undefined,
  });
  const browser = await launchChromium().catch(async (e: unknown) => {
    await server.stop();
    throw e;
  });
  let timer: NodeJS.Timeout | undefined;
  let failed = true; // until the tests report success
  const workbenchErrors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    if (debug) {
      page.on('console', (message) => process.stderr.write(`[page ${message.type()}] ${message.text()}\n`));
    }
    let exit!: (code: number) => void;
    const finished = new Promise<number>((resolveExit, reject) => {
      exit = resolveExit;
      timer = setTimeout(() => reject(new Error(`extension tests timed out after ${timeoutMs(options)} ms`)), timeoutMs(options));
      page.on('crash', () => reject(new Error('the workbench page crashed')));
      browser.on('disconnected', () => reject(new Error('Chromium exited')));
    });
    finished.catch(() => undefined); // awaited below; don't report it as unhandled meanwhile
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
      const text = String(message);
      if (text.startsWith(testOutputMark)) {
        log(text.slice(testOutputMark.length));
      } else if (debug) {
        log(`[workbench ${level}] ${text}`);
      } else if (level === 'error') {
        workbenchErrors.push(text); // shown only if the run fails: they explain tests that never started
      }
    });
    // A loaded machine (other test runs, two cores) can take over 30 s to serve the workbench page.
    await page.goto(testsUrl(server, options), { timeout: 120_000 });
    const watching = options.whileTesting?.(page, finished);
    watching?.catch(() => undefined); // awaited below; don't report it as unhandled meanwhile
    const code = await finished;
    await watching;
    failed = code !== 0;
    await options.afterTests?.(page, server);
    return code;
  } finally {
    if (failed && workbenchErrors.length > 0) {
      log(`workbench errors (offline gallery lookups are expected):\n${workbenchErrors.join('\n')}`);
    }
    clearTimeout(timer);
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

function testsUrl(server: CodeServer, options: RunExtensionTestsOptions): string {
  return server.workbenchUrl(resolve(options.workspace), [
    ['extensionDevelopmentPath', server.remoteUri(resolve(options.extensionDevelopmentPath))],
    ['extensionTestsPath', server.remoteUri(resolve(options.extensionTestsPath))],
    ['skipWelcome', 'true'],
  ]);
}

function timeoutMs(options: RunExtensionTestsOptions): number {
  return options.timeoutMs ?? 180_000;
}
