// The runner's side of ./workbenchQuestions.ts: while the tests run, answers each question from the page.
import { basename } from 'node:path';
import type { ConsoleMessage, Page } from 'playwright-core';
import { answerFile, questionFile, readJson, writeJson, type WorkbenchQuestion } from './workbenchQuestions';

/** The Run action as the editor title renders it (its title comes from package.nls.json). */
const runActionSelector = '.editor-group-container.active .editor-actions [aria-label^="Run Code Mode Script"]';

export async function answerWorkbenchQuestions(page: Page, workspace: string, testsDone: Promise<unknown>): Promise<void> {
  let done = false;
  void testsDone.finally(() => (done = true)).catch(() => undefined);
  let answered = 0;
  while (!done) {
    const question = await readJson<WorkbenchQuestion>(questionFile(workspace));
    if (question && question.id > answered) {
      await page.locator('.tab.active', { hasText: basename(question.file) }).waitFor({ timeout: 30_000 });
      const context = await inspectContextKeys(page, question.file);
      // The menu follows the context keys it has just been shown to hold; give its update a moment to render.
      await page.waitForTimeout(1_000);
      const runAction = (await page.locator(runActionSelector).count()) > 0;
      await writeJson(answerFile(workspace), { id: question.id, runAction, context });
      answered = question.id;
    }
    await page.waitForTimeout(100);
  }
}

/**
 * The context key values of the active editor, through "Developer: Inspect Context Keys": it logs them to the
 * page's console when an element is clicked. Repeats until they are those of `file`'s editor.
 */
async function inspectContextKeys(page: Page, file: string): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt++) {
    let logged!: (values: Record<string, unknown>) => void;
    const values = new Promise<Record<string, unknown>>((resolve) => (logged = resolve));
    const onConsole = async (message: ConsoleMessage) => {
      const value = await message
        .args()[0]
        ?.jsonValue()
        .catch(() => undefined);
      if (value && typeof value === 'object' && 'resourcePath' in value) {
        logged(value as Record<string, unknown>);
      }
    };
    page.on('console', onConsole);
    try {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Developer: Inspect Context Keys');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Inspect Context Keys' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      const context = await Promise.race([values, page.waitForTimeout(5_000).then(() => undefined)]);
      if (context?.resourcePath === file) {
        return context;
      }
      if (attempt === 5) {
        throw new Error(`the context keys of ${file}'s editor were not shown: ${JSON.stringify(context?.resourcePath)}`);
      }
    } finally {
      page.off('console', onConsole);
    }
  }
}
