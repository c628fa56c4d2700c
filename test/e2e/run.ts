// End to end: the packaged VSIX installed into code-server, a workspace with .vscode/mcp.json opened in headless
// Chromium, "Run Code Mode script" run from the command palette on a script file (its sandbox host on a Node 22),
// its result checked, and a screenshot of the output panel kept in test-results/.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createWorkspace, repoRoot } from '../integration/workspaceFixture';
import { nodeRelease } from '../nodeRelease';
import { startCodeServer } from '../vscode/codeServer';
import { waitForOutputChannel } from '../vscode/outputLogs';
import { openWorkbench, runCommand, waitForNotification } from '../vscode/workbench';
import { waitFor } from '../waitFor';

const vsix = join(repoRoot, 'out', 'code-mode.vsix');
const screenshot = join(repoRoot, 'test-results', 'e2e-output-panel.png');
/** The runs view with a trace open (README's media/screenshot-runs.png is a copy of one). */
const runsScreenshot = join(repoRoot, 'test-results', 'e2e-runs-view.png');

function packageVsix(): string[] {
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  execFileSync(vsce, ['package', '--no-yarn', '--out', vsix], { cwd: repoRoot, stdio: 'ignore' });
  return execFileSync(vsce, ['ls', '--no-yarn'], { cwd: repoRoot, encoding: 'utf8' }).trim().split('\n');
}

function checkContents(files: string[]): void {
  for (const needed of [
    'package.json',
    'dist/extension.js',
    'dist/sandboxHost.js',
    'dist/tokenWorker.js',
    'dist/quickjs.wasm',
    'dist/quickJsWorker.js',
    'dist/tsPlugin.js',
    'node_modules/codemode-ts-plugin/package.json',
    'media/icon.png',
    'node_modules/isolated-vm/isolated-vm.js',
    'node_modules/node-gyp-build/index.js',
    'node_modules/typescript/lib/typescript.js',
  ]) {
    assert.ok(files.includes(needed), `the VSIX lacks ${needed}`);
  }
  for (const platform of ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64']) {
    assert.ok(
      files.some((file) => file.startsWith(`node_modules/isolated-vm/prebuilds/${platform}/`)),
      `the VSIX lacks the ${platform} prebuild`,
    );
    assert.ok(
      files.some((file) => file.startsWith(`node_modules/isolated-vm-node22/prebuilds/${platform}/isolated-vm.abi127.`)),
      `the VSIX lacks the ${platform} prebuild for Node 22`,
    );
  }
  const unwanted = files.filter(
    (file) =>
      /^(src|test|out|examples)\/|(?<!^node_modules\/typescript\/lib\/lib\.[\w.]+\.d)\.ts$|\.map$|^dist\/cli\.js$/.test(file) ||
      // TypeScript ships for the pre-run check: its compiler and the ES lib files only.
      /^node_modules\/(?!isolated-vm\/|node-gyp-build\/|codemode-ts-plugin\/package\.json$|typescript\/(package\.json$|LICENSE\.txt$|lib\/typescript\.js$|lib\/lib\.[\w.]+\.d\.ts$)|isolated-vm-node22\/(package\.json|isolated-vm\.js|LICENSE|prebuilds\/[^/]+\/isolated-vm\.abi127\.))/.test(
        file,
      ),
  );
  assert.deepEqual(unwanted, [], 'the VSIX holds files it does not need');
}

async function main(): Promise<void> {
  const started = Date.now();
  checkContents(packageVsix());
  console.log(`VSIX built and checked (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const folder = await createWorkspace(randomUUID(), { secretive: false });
  // Beside the generated API and its tsconfig.json, where the editor knows `mcp`.
  await mkdir(join(folder, '.vscode', 'codemode'));
  await copyFile(join(folder, 'sum.ts'), join(folder, '.vscode', 'codemode', 'add-pairs.ts'));
  // The sandbox host on a Node 22, as on a desktop whose PATH has one: the VSIX's other isolated-vm release. (A remote
  // window reads this machine-overridable setting from the workspace or the remote machine, not from user settings.)
  await writeFile(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'codeMode.sandbox.nodePath': await nodeRelease(22) }));
  const server = await startCodeServer({
    vsixFiles: [vsix],
    settings: {
      'workbench.startupEditor': 'none',
      'git.openRepositoryInParentFolders': 'never',
      'workbench.colorTheme': 'Default Dark Modern',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    },
  });
  try {
    const workbench = await openWorkbench(server, folder);
    let lastScreenshot = screenshot;
    try {
      const { page } = workbench;
      // Open the script beside the API, as a user would: that first use starts the servers and writes the API types.
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('add-pairs.ts');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'add-pairs.ts' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'add-pairs.ts' }).waitFor();
      await waitFor(() => existsSync(join(folder, '.vscode', 'codemode', 'api.d.ts')), 30_000, 'the API types');
      await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'Adds numbers' }).first().click();
      await runCommand(page, 'Run Code Mode script');
      await waitForNotification(page, 'add-pairs.ts succeeded', 30_000);
      const log = await waitForOutputChannel(server.dirs.userData, 'Code Mode', /console\.log: sums 3,7,11/, 15_000);
      assert.match(log, /run from \.vscode\/codemode\/add-pairs\.ts succeeded in [\d.]+ ms on isolated-vm: 3 tool call\(s\)/);
      assert.match(log, /sandbox host started: isolated-vm 6\.2\.\d+ on Node v22\./);
      // The result opens beside the script.
      await page.locator('.monaco-editor .view-lines', { hasText: '"total": 21' }).first().waitFor({ timeout: 10_000 });
      await runCommand(page, 'Code Mode: Show Log');
      await page.locator('.panel .monaco-editor', { hasText: 'add-pairs.ts succeeded' }).first().waitFor({ timeout: 10_000 });
      await mkdir(join(repoRoot, 'test-results'), { recursive: true });
      await page.screenshot({ path: screenshot, animations: 'disabled' });
      // From here on the last screenshot (taken below, also on failure) is the runs view's.
      lastScreenshot = runsScreenshot;
      // The run is in the Code Mode Runs view; its trace opens from there.
      await runCommand(page, 'Focus on Code Mode Runs View');
      const row = page.locator('.monaco-list-row', { hasText: 'add-pairs.ts' }).filter({ hasText: 'tokens saved' }).first();
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      await page.locator('.monaco-editor .view-lines', { hasText: 'Calls (3)' }).first().waitFor({ timeout: 10_000 });
    } finally {
      await mkdir(join(repoRoot, 'test-results'), { recursive: true });
      await workbench.page.screenshot({ path: lastScreenshot, animations: 'disabled' });
      await workbench.close();
    }
  } finally {
    await server.stop();
  }
  console.log(`e2e passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots ${screenshot}, ${runsScreenshot}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
