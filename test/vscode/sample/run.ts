// Proves the harness end to end: the sample's tests in a trusted and an untrusted
// workspace, then the command from the palette with a screenshot.
// Usage: npm exec -- tsx test/vscode/sample/run.ts
import { build } from 'esbuild';
import { join } from 'node:path';
import { startCodeServer } from '../codeServer';
import { readOutputChannel, waitForOutputChannel } from '../outputLogs';
import { runExtensionTests } from '../runExtensionTests';
import { openWorkbench, runCommand, waitForNotification } from '../workbench';

const repoRoot = join(__dirname, '../../..');
const extensionDevelopmentPath = __dirname;
const workspace = join(__dirname, 'workspace');
const outDir = join(repoRoot, 'out/test/vscode/sample');
const resultsDir = join(repoRoot, 'test-results');

async function main(): Promise<number> {
  const started = Date.now();
  await build({
    entryPoints: [join(__dirname, 'test/index.ts'), join(__dirname, 'test/sample.test.ts')],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  let failed = 0;
  for (const trusted of [true, false]) {
    console.log(`--- extension tests, ${trusted ? 'trusted' : 'untrusted'} workspace`);
    const code = await runExtensionTests({
      extensionDevelopmentPath,
      extensionTestsPath: join(outDir, 'index.js'),
      workspace,
      workspaceTrust: !trusted,
      settings: trusted ? {} : { 'security.workspace.trust.startupPrompt': 'never' },
      env: { SAMPLE_WORKSPACE: workspace, SAMPLE_TRUSTED: String(trusted) },
      afterTests: async (_page, server) => {
        console.log(`output channel "Sample":\n${await readOutputChannel(server.dirs.userData, 'Sample')}`);
      },
    });
    console.log(`exit code ${code} (${elapsed(started)})`);
    failed += code === 0 ? 0 : 1;
  }

  console.log('--- command palette');
  const server = await startCodeServer();
  try {
    const workbench = await openWorkbench(server, { folder: workspace, extensionDevelopmentPath });
    try {
      await runCommand(workbench.page, 'Sample: Hello');
      await waitForNotification(workbench.page, 'Hello from workspace');
      await waitForOutputChannel(server.dirs.userData, 'Sample', /hello workspace/);
      await workbench.page.screenshot({ path: join(resultsDir, 'sample-workbench.png') });
      console.log(`palette ok, screenshot in test-results/sample-workbench.png (${elapsed(started)})`);
    } finally {
      await workbench.close();
    }
  } finally {
    await server.stop();
  }
  return failed;
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
