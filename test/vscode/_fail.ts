import { join } from 'node:path';
import { runExtensionTests } from './runExtensionTests';
const ws = join(__dirname, 'sample/workspace');
const which = process.argv[2];
const t = Date.now();
runExtensionTests({
  extensionDevelopmentPath: join(__dirname, 'sample'),
  extensionTestsPath: which === 'badpath' ? '/work/main/out/nope/index.js' : '/work/main/out/test/vscode/sample/index.js',
  workspace: ws, timeoutMs: which === 'timeout' ? 3000 : 60000,
  env: { SAMPLE_WORKSPACE: ws, SAMPLE_TRUSTED: 'false' },
}).then((c) => console.log('exit', c, Date.now() - t), (e) => console.log('THROWN', String(e), Date.now() - t));
