import { runExtensionTests } from '/work/main/test/vscode/runExtensionTests';
const ws = '/work/main/test/vscode/sample/workspace';
const t = Date.now();
runExtensionTests({
  extensionDevelopmentPath: '/work/main/test/vscode/sample',
  extensionTestsPath: '/work/main/test/vscode/sample/test/index.js',
  workspace: ws,
  env: { SAMPLE_WORKSPACE: ws, SAMPLE_EXPECT_TRUSTED: 'true' },
  log: (l) => console.log(JSON.stringify(l)),
  timeoutMs: 60000,
}).then((c) => console.log('exit', c, Date.now() - t), (e) => console.log('ERR', e, Date.now() - t));
