// Runs the integration suites inside code-server's real extension host: a trusted workspace, an untrusted one, and
// a workspace that does not use Code Mode.
// Needs `node esbuild.mjs --tests` (npm test runs it) and test/vscode/setup.sh.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { nodeRelease } from '../nodeRelease';
import { runExtensionTests } from '../vscode/runExtensionTests';
import type { Page } from 'playwright-core';
import { answerWorkbenchQuestions } from './answerWorkbenchQuestions';
import { runLaunchConfiguration } from './launchConfig';
import { createApprovalsWorkspace, createQuietWorkspace, createWorkspace, repoRoot } from './workspaceFixture';
import { fixtureExtension, fixtureExtensionEnv } from './fixtureExtension';

type Suite = 'extension' | 'untrusted' | 'quiet' | 'runs' | 'userServers' | 'approvals';

async function main(): Promise<number> {
  const extensionTestsPath = join(repoRoot, 'out', 'integration', 'index.js');
  // The sandbox host on a Node other than the extension host's own, as desktop VS Code needs: a Node 22, which
  // also takes the other isolated-vm release.
  const otherNode = await nodeRelease(22);
  const failures: string[] = [];
  // CODEMODE_TEST_SUITES=approvals,launch runs only the suites named.
  const suites = (process.env.CODEMODE_TEST_SUITES?.split(',').filter((name) => name !== 'launch') ?? [
    'extension',
    'untrusted',
    'quiet',
    'runs',
    'userServers',
    'approvals',
  ]) as Suite[];
  for (const suite of suites) {
    const marker = randomUUID();
    const workspace =
      suite === 'quiet' || suite === 'userServers'
        ? await createQuietWorkspace()
        : suite === 'approvals'
          ? await createApprovalsWorkspace()
          : await createWorkspace(marker);
    const code = await runExtensionTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      workspace,
      workspaceTrust: suite === 'untrusted',
      timeoutMs: 600_000, // a loaded 2-core machine takes minutes for the extension suite
      // The quiet workspace keeps the default confirmRuns: its own settings must not turn it off.
      settings: {
        'security.workspace.trust.startupPrompt': 'never',
        // These suites drive the Language Model Tools; offered as an MCP server too, VS Code lists its tools at start-up,
        // which starts the servers before the first use the tests check for.
        // The quiet workspace keeps the default offering (an MCP server) as well: it must not be offered there either.
        'codeMode.offer': suite === 'quiet' ? 'both' : 'languageModelTools',
        ...(suite === 'quiet' ? {} : { 'codeMode.confirmRuns': false }),
        // VS Code starts no MCP server by itself here: the test starts them, as the user would.
        ...(suite === 'userServers' ? { 'chat.mcp.autostart': 'never' } : {}),
      },
      env: {
        CODEMODE_TEST_SUITE: suite,
        CODEMODE_TEST_MARKER: marker,
        CODEMODE_TEST_OTHER_NODE: otherNode,
        ...(suite === 'userServers' ? fixtureExtensionEnv() : {}),
      },
      // Another extension, with Language Model Tools and an MCP server that VS Code runs.
      vsixFiles: suite === 'userServers' ? [await fixtureExtension()] : undefined,
      // The status item shows where Code Mode is configured, and only there; the page answers the Run action's tests.
      whileTesting:
        suite === 'untrusted' || suite === 'userServers' || suite === 'approvals'
          ? undefined
          : async (page, testsDone) =>
              void (await Promise.all([
                checkStatusItem(page, testsDone, suite !== 'quiet'),
                answerWorkbenchQuestions(page, workspace, testsDone),
              ])),
    }).catch((error: unknown) => {
      console.error(`${suite}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    });
    if (code !== 0) {
      failures.push(suite);
    }
  }
  // F5's Run Extension, as .vscode/launch.json has it (its own code-server session, no test suite inside).
  if (!process.env.CODEMODE_TEST_SUITES || process.env.CODEMODE_TEST_SUITES.split(',').includes('launch')) {
    const launched = await runLaunchConfiguration().catch((error: unknown) => (console.error(`launch: ${String(error)}`), 1));
    if (launched !== 0) {
      failures.push('launch');
    }
  }
  console.log(failures.length ? `integration suites failed: ${failures.join(', ')}` : 'integration suites passed');
  return failures.length ? 1 : 0;
}

/** Watches the status bar while the tests run: whether the Code Mode item ever shows. */
async function checkStatusItem(page: Page, testsDone: Promise<unknown>, expected: boolean): Promise<void> {
  const statusBar = page.locator('#workbench\\.parts\\.statusbar');
  let done = false;
  void testsDone.finally(() => (done = true)).catch(() => undefined);
  let shown = false;
  while (!done && !shown) {
    shown = /Code Mode/.test(await statusBar.innerText().catch(() => ''));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (shown !== expected) {
    throw new Error(`the Code Mode status item ${shown ? 'showed' : 'never showed'}`);
  }
  console.log(`status item ${shown ? 'shown' : 'never shown'}, as expected`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
