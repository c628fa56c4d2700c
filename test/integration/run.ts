// Runs the integration suites inside code-server's real extension host: a trusted workspace, then an untrusted one.
// Needs `node esbuild.mjs --tests` (npm test runs it) and test/vscode/setup.sh.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { nodeRelease } from '../nodeRelease';
import { runExtensionTests } from '../vscode/runExtensionTests';
import { createWorkspace, repoRoot } from './workspaceFixture';

async function main(): Promise<number> {
  const extensionTestsPath = join(repoRoot, 'out', 'integration', 'index.js');
  // The sandbox host on a Node other than the extension host's own, as desktop VS Code needs: a Node 22, which
  // also takes the other isolated-vm release.
  const otherNode = await nodeRelease(22);
  const failures: string[] = [];
  for (const suite of ['extension', 'untrusted', 'runs'] as const) {
    const marker = randomUUID();
    const code = await runExtensionTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      workspace: await createWorkspace(marker),
      workspaceTrust: suite === 'untrusted',
      settings: { 'security.workspace.trust.startupPrompt': 'never', 'codeMode.confirmRuns': false },
      env: { CODEMODE_TEST_SUITE: suite, CODEMODE_TEST_MARKER: marker, CODEMODE_TEST_OTHER_NODE: otherNode },
    });
    if (code !== 0) {
      failures.push(suite);
    }
  }
  console.log(failures.length ? `integration suites failed: ${failures.join(', ')}` : 'integration suites passed');
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
