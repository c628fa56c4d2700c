// Entry the extension host loads: runs the suite named by CODEMODE_TEST_SUITE.
import { join } from 'node:path';
import { runMocha } from '../vscode/mochaInHost';

/** Each suite's test files: its workspace's own first. */
const suites: Record<string, string[]> = {
  extension: ['extension', 'cancelWhileStarting', 'runAction'],
  untrusted: ['untrusted'],
  quiet: ['quiet', 'runAction'],
  launch: ['launch'],
  runs: ['runs'],
  userServers: ['userServers'],
  approvals: ['approvals'],
};

export function run(): Promise<void> {
  const files = suites[process.env.CODEMODE_TEST_SUITE ?? ''] ?? suites.extension;
  return runMocha({ files: files.map((name) => join(__dirname, `${name}.test.js`)), timeout: 60_000 });
}
