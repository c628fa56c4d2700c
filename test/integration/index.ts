// Entry the extension host loads: runs the suite named by CODEMODE_TEST_SUITE.
import { join } from 'node:path';
import { runMocha } from '../vscode/mochaInHost';

export function run(): Promise<void> {
  const suite = ['untrusted', 'quiet'].includes(process.env.CODEMODE_TEST_SUITE ?? '') ? process.env.CODEMODE_TEST_SUITE : 'extension';
  // Where Code Mode may run (not the untrusted suite): the editor title's Run action, read off the workbench.
  const alongside = suite === 'untrusted' ? [] : ['runAction'];
  return runMocha({ files: [suite, ...alongside].map((name) => join(__dirname, `${name}.test.js`)), timeout: 60_000 });
}
