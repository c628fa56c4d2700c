import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { startCodeServer } from './codeServer';
import { openWorkbench } from './workbench';
async function main() {
  const ws = join(__dirname, 'sample/workspace');
  const server = await startCodeServer({ vsixFiles: ['/work/main/out/test/vscode/sample/sample.vsix'], onOutput: (t) => process.stdout.write('[cs] ' + t) });
  console.log(execSync(`ls -la ${server.dirs.extensions}; cat ${server.dirs.extensions}/extensions.json`).toString());
  const wb = await openWorkbench(server, ws);
  try {
    await new Promise((r) => setTimeout(r, 5000));
    await wb.page.keyboard.press('F1');
    await new Promise((r) => setTimeout(r, 1000));
    await wb.page.keyboard.type('Sample');
    await new Promise((r) => setTimeout(r, 1500));
    console.log(await wb.page.evaluate(() => [...document.querySelectorAll('.quick-input-widget .monaco-list-row')].map(e => e.textContent).join('\n')));
    console.log(execSync(`grep -ri sample ${server.dirs.userData}/logs -r | head`).toString());
  } finally { await wb.close(); await server.stop(); }
}
main();
