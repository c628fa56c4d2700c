// Proves the harness end to end: the sample's tests in a trusted and an untrusted
// workspace, then the packaged sample driven from the command palette, with a screenshot.
// Usage: npm exec -- tsx test/vscode/sample/run.ts
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startCodeServer } from '../codeServer';
import { readOutputChannel, waitForOutputChannel } from '../outputLogs';
import { runExtensionTests } from '../runExtensionTests';
import { openWorkbench, runCommand, waitForNotification } from '../workbench';

const repoRoot = join(__dirname, '../../..');
const workspace = join(__dirname, 'workspace');
const outDir = join(repoRoot, 'out/test/vscode/sample');
const screenshot = join(repoRoot, 'test-results/sample-workbench.png');
const started = Date.now();

async function extensionTests(trusted: boolean): Promise<number> {
  console.log(`--- extension tests, ${trusted ? 'trusted' : 'untrusted'} workspace`);
  const code = await runExtensionTests({
    extensionDevelopmentPath: __dirname,
    extensionTestsPath: join(outDir, 'index.js'),
    workspace,
    workspaceTrust: !trusted,
    settings: trusted ? {} : { 'security.workspace.trust.startupPrompt': 'never' },
    env: { SAMPLE_WORKSPACE: workspace, SAMPLE_TRUSTED: String(trusted) },
    afterTests: async (_page, server) => {
      console.log(`output channel "Sample":\n${await readOutputChannel(server.dirs.userData, 'Sample')}`);
    },
  });
  console.log(`exit code ${code} (${elapsed()})`);
  return code;
}

async function commandPalette(): Promise<void> {
  console.log('--- packaged extension, command palette');
  const vsix = join(outDir, 'sample.vsix');
  execFileSync(join(repoRoot, 'node_modules/.bin/vsce'), ['package', '--out', vsix, '--skip-license', '--allow-missing-repository'], {
    cwd: __dirname,
    stdio: 'ignore',
  });
  const server = await startCodeServer({ vsixFiles: [vsix], settings: { 'workbench.startupEditor': 'none', 'git.openRepositoryInParentFolders': 'never' },
  });
  try {
    const workbench = await openWorkbench(server, workspace);
    try {
      await runCommand(workbench.page, 'Sample: Hello');
      await waitForNotification(workbench.page, 'Hello from workspace');
      await waitForOutputChannel(server.dirs.userData, 'Sample', /hello workspace/);
    } finally {
      await workbench.page.screenshot({ path: screenshot, animations: 'disabled' }); // also when it failed: shows why
      await workbench.close();
    }
  } finally {
    await server.stop();
  }
  console.log(`palette ok, screenshot ${screenshot} (${elapsed()})`);
}

async function main(): Promise<number> {
  await build({
    entryPoints: [join(__dirname, 'test/index.ts'), join(__dirname, 'test/sample.test.ts')],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode', 'mocha'], // mocha is resolved from the repo's node_modules
    logLevel: 'warning',
  });
  const failures = [await extensionTests(true), await extensionTests(false)].filter((code) => code !== 0).length;
  await commandPalette();
  return failures;
}

function elapsed(): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

main().then(
  (failures) => process.exit(failures ? 1 : 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
