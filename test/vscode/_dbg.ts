import { join } from 'node:path';
import { startCodeServer } from './codeServer';
import { openWorkbench, runCommand } from './workbench';
import { execSync } from 'node:child_process';
async function main() {
  const ws = join(__dirname, 'sample/workspace');
  const server = await startCodeServer({ keepDirs: true });
  const wb = await openWorkbench(server, { folder: ws, extensionDevelopmentPath: join(__dirname, 'sample') });
  wb.page.on('console', (m) => { if (/sample|error/i.test(m.text())) console.log('[page]', m.type(), m.text().slice(0, 300)); });
  await new Promise((r) => setTimeout(r, 3000));
  await runCommand(wb.page, 'Sample: Hello');
  await new Promise((r) => setTimeout(r, 3000));
  console.log(await wb.page.evaluate(() => [...document.querySelectorAll('*')].filter(e => e.children.length === 0 && /Hello from|unknown error/.test(e.textContent||'')).map(e => { let p = e; const chain = []; while (p && chain.length < 8) { chain.push(p.tagName + '.' + String(p.className).split(' ').join('.')); p = p.parentElement; } return chain.join(' < '); }).join('\n')));
  await wb.page.screenshot({ path: '/work/main/test-results/dbg.png' });
  console.log(execSync(`find ${server.dirs.userData}/logs | head -50`).toString());
  await wb.close(); await server.stop();
}
main();
