// Runs the integration suites inside code-server's real extension host: a trusted workspace, an untrusted one, and
// a workspace that does not use Code Mode.
// Needs `node esbuild.mjs --tests` (npm test runs it) and test/vscode/setup.sh.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { nodeRelease } from '../nodeRelease';
import { runExtensionTests } from '../vscode/runExtensionTests';
import type { Page } from 'playwright-core';
import { createApprovalsWorkspace, createQuietWorkspace, createWorkspace, repoRoot } from './workspaceFixture';

async function main(): Promise<number> {
  const extensionTestsPath = join(repoRoot, 'out', 'integration', 'index.js');
  // The sandbox host on a Node other than the extension host's own, as desktop VS Code needs: a Node 22, which
  // also takes the other isolated-vm release.
  const otherNode = await nodeRelease(22);
  const failures: string[] = [];
  // `npx tsx test/integration/run.ts approvals` runs only the suites named.
  const only = process.argv.slice(2);
  for (const suite of (['extension', 'untrusted', 'quiet', 'runs', 'approvals'] as const).filter(
    (name) => !only.length || only.includes(name),
  )) {
    const marker = randomUUID();
    const code = await runExtensionTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      workspace:
        suite === 'quiet'
          ? await createQuietWorkspace()
          : suite === 'approvals'
            ? await createApprovalsWorkspace()
            : await createWorkspace(marker),
      workspaceTrust: suite === 'untrusted',
      timeoutMs: 600_000, // a loaded 2-core machine takes minutes for the extension suite
      // The quiet workspace keeps the default confirmRuns: its own settings must not turn it off.
      settings: {
        'security.workspace.trust.startupPrompt': 'never',
        // These suites drive the Language Model Tools; offered as an MCP server too, VS Code lists its tools at start-up,
        // which starts the servers before the first use the tests check for.
        'codeMode.offer': 'languageModelTools',
        ...(suite === 'quiet' ? {} : { 'codeMode.confirmRuns': false }),
      },
      env: { CODEMODE_TEST_SUITE: suite, CODEMODE_TEST_MARKER: marker, CODEMODE_TEST_OTHER_NODE: otherNode },
      // The status item shows where Code Mode is configured, and only there.
      whileTesting:
        suite === 'approvals'
          ? answerApprovals
          : suite === 'untrusted'
            ? undefined
            : (page, testsDone) => checkStatusItem(page, testsDone, suite === 'extension'),
    }).catch((error: unknown) => {
      console.error(`${suite}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    });
    if (code !== 0) {
      failures.push(suite);
    }
  }
  console.log(failures.length ? `integration suites failed: ${failures.join(', ')}` : 'integration suites passed');
  return failures.length ? 1 : 0;
}

/**
 * Plays the person who answers Code Mode's questions, in the real workbench: VS Code's own dialog (a modal, as there
 * is no chat in these tests) is read and a button clicked, as a user would. Arguments with "allow-me" are allowed,
 * "slow-allow" allowed after 4 s, anything else declined.
 */
async function answerApprovals(page: Page, testsDone: Promise<unknown>): Promise<void> {
  let done = false;
  void testsDone.finally(() => (done = true)).catch(() => undefined);
  const dialog = page.locator('.monaco-dialog-box');
  let answered = 0;
  while (!done) {
    if (await dialog.isVisible().catch(() => false)) {
      const text = await dialog.innerText().catch(() => '');
      const buttons = dialog.locator('.dialog-buttons .monaco-button');
      const labels = await buttons.allInnerTexts().catch(() => []);
      const allow = /allow-me|slow-allow/.test(text);
      if (/slow-allow/.test(text)) {
        await new Promise((resolve) => setTimeout(resolve, 4_000));
      }
      const index = labels.findIndex((label) => (allow ? /^(Allow|Continue)/ : /^(Cancel|Skip|Deny)/).test(label.trim()));
      if (answered === 0) {
        await page.screenshot({ path: join(repoRoot, 'out', 'approval-dialog.png') }).catch(() => undefined);
      }
      console.log(
        `approval dialog ${++answered}: ${allow ? 'allow' : 'decline'} [${labels.join(' | ')}] ${text.replace(/\s+/g, ' ').slice(0, 160)}`,
      );
      await buttons.nth(index < 0 ? labels.length - 1 : index).click();
      await dialog.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
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
