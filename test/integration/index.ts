// Entry the extension host loads: runs the suite named by CODEMODE_TEST_SUITE.
import { join } from 'node:path';
import { runMocha } from '../vscode/mochaInHost';

export function run(): Promise<void> {
  const named = process.env.CODEMODE_TEST_SUITE ?? '';
  const suite = ['untrusted', 'quiet', 'runs', 'userServers', 'approvals'].includes(named) ? named : 'extension';
  return runMocha({ files: [join(__dirname, `${suite}.test.js`)], timeout: 60_000 });
}
