import { join } from 'node:path';
import { runExtensionTests } from './runExtensionTests';
const ws = join(__dirname, 'sample/workspace');
runExtensionTests({
  extensionDevelopmentPath: join(__dirname, 'sample'),
  extensionTestsPath: '/work/main/out/test/vscode/sample/index.js',
  workspace: ws, debug: true,
  env: { SAMPLE_WORKSPACE: ws, SAMPLE_TRUSTED: 'true' },
  log: (l) => { if (/pass|fail|sample|vscode-test/i.test(l)) console.log(JSON.stringify(l).slice(0, 300)); },
}).then((c) => console.log('exit', c));
