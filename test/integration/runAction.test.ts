// Runs inside code-server's real extension host (extension and quiet suites): the editor title's Run action shows for
// scripts beside the API only, as the workbench itself evaluates package.json's `when` clause. The runner reads the
// menu and the context keys off the page (./answerWorkbenchQuestions.ts).
import { strict as assert } from 'node:assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readOutputChannel } from '../vscode/outputLogs';
import { waitFor } from '../waitFor';
import { answerFile, questionFile, readJson, writeJson, type WorkbenchAnswer } from './workbenchQuestions';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const configured = process.env.CODEMODE_TEST_SUITE !== 'quiet';
let asked = 0;

/** Opens `file` in the editor and asks the runner what the workbench shows for it. */
async function askWorkbench(file: string): Promise<WorkbenchAnswer> {
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  const id = ++asked;
  await writeJson(questionFile(folder()), { id, file });
  let answer: WorkbenchAnswer | undefined;
  await waitFor(
    async () => (answer = await readJson<WorkbenchAnswer>(answerFile(folder())))?.id === id,
    60_000,
    `the answer about ${file}`,
  );
  return answer!;
}

describe('The Run action in the editor title', function () {
  this.timeout(120_000);

  before(async () => {
    await waitFor(() => vscode.extensions.getExtension('codemode.code-mode')!.isActive, 10_000, 'activation');
    await waitFor(
      async () => /servers configured: /.test((await readOutputChannel(process.env.VSCODE_TEST_USER_DATA_DIR!, 'Code Mode')) ?? ''),
      10_000,
      'the configuration applied',
    );
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  if (configured) {
    it('shows for a script beside the API: codeMode.apiFolders holds the API folder', async () => {
      const apiFolder = join(folder(), '.vscode', 'codemode');
      await mkdir(apiFolder, { recursive: true });
      const script = join(apiFolder, 'beside.ts');
      await writeFile(script, 'return (await mcp.test.add({ a: 1, b: 2 })).sum;\n');
      const answer = await askWorkbench(script);
      assert.deepEqual(answer.context['codeMode.apiFolders'], [apiFolder]);
      assert.equal(answer.context.resourceDirname, apiFolder);
      assert.equal(answer.runAction, true, 'no Run action beside the API');
    });

    it('does not show for a TypeScript file elsewhere in the workspace', async () => {
      const answer = await askWorkbench(join(folder(), 'sum.ts'));
      assert.deepEqual(answer.context['codeMode.apiFolders'], [join(folder(), '.vscode', 'codemode')]);
      assert.equal(answer.context.resourceLangId, 'typescript');
      assert.equal(answer.runAction, false, 'a Run action on a file that is not beside the API');
    });
  } else {
    it('does not show in a workspace without Code Mode configuration: codeMode.apiFolders is empty', async () => {
      const answer = await askWorkbench(join(folder(), 'index.ts'));
      assert.ok(
        [undefined, '[]'].includes(JSON.stringify(answer.context['codeMode.apiFolders'])),
        JSON.stringify(answer.context['codeMode.apiFolders']),
      );
      assert.equal(answer.context.resourceLangId, 'typescript');
      assert.equal(answer.runAction, false, 'a Run action in a workspace that does not use Code Mode');
    });
  }
});
