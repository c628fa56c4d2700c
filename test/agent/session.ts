// One code-server with the scripted model (and, when asked, our VSIX) installed, its workbench open in headless
// Chromium, and the chat view driven like a user does: a prompt typed into the input in Agent mode, confirmations
// clicked, the answer read from the view. The scripted model's recordings are read back from its folder.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../vscode/codeServer';
import { openWorkbench, runCommand, type Workbench } from '../vscode/workbench';
import type { Control, RecordedRequest } from './transcript';

export interface AgentSessionOptions {
  vsixFiles: string[];
  workspace: string;
  /** User settings on top of the ones every agent session needs. */
  settings?: Record<string, unknown>;
  log?: (line: string) => void;
}

export interface PromptOptions {
  /**
   * What to do with a tool confirmation: click "Allow Once" (default), fail the prompt, or decide per confirmation
   * (its title): allow once or click "Skip".
   */
  confirmations?: 'allowOnce' | 'fail' | ((title: string) => 'allowOnce' | 'skip');
  /** Called while a confirmation is shown, before it is answered (e.g. to take a screenshot). */
  whileConfirming?: (title: string) => Promise<void>;
  timeoutMs?: number;
}

export interface PromptOutcome {
  /** The final answer as the chat view shows it. */
  answer: string;
  /** From pressing Enter to the answer shown. */
  ms: number;
  /** The tool confirmations that were shown (and allowed): title and whole text. */
  confirmations: Array<{ title: string; text: string }>;
}

/** The chat view, in the secondary side bar where "Chat: Open Chat" puts it. */
const chat = '.part.auxiliarybar';

/** Settings every agent session needs (VSCODE-TESTING.md, "A real chat agent"). */
const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'git.openRepositoryInParentFolders': 'never',
  'workbench.tips.enabled': false,
  // The agent's side requests (titles, summaries) go to the scripted model too, not to a Copilot model.
  'chat.byokUtilityModelDefault': 'mainAgent',
};

export class AgentSession {
  private constructor(
    readonly server: CodeServer,
    private readonly workbench: Workbench,
    /** The scripted model's folder (CODEMODE_AGENT_DIR). */
    readonly agentDir: string,
  ) {}

  get page(): Page {
    return this.workbench.page;
  }

  static async start(options: AgentSessionOptions): Promise<AgentSession> {
    const log = options.log ?? (() => {});
    const agentDir = await mkdtemp(join(tmpdir(), 'codemode-agent-'));
    const settings = { ...baseSettings, ...options.settings };
    const started = Date.now();
    const server = await startCodeServer({ vsixFiles: options.vsixFiles, settings, env: { CODEMODE_AGENT_DIR: agentDir } });
    let workbench: Workbench | undefined;
    try {
      workbench = await openWorkbench(server, options.workspace);
      const session = new AgentSession(server, workbench, agentDir);
      await session.waitForFile('ready.json', 180_000, 'the scripted model enabling the chat extension');
      await session.openChat();
      log(`code-server and chat ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return session;
    } catch (e: unknown) {
      await workbench?.close();
      await server.stop();
      await rm(agentDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Opens the chat view and checks it is in Agent mode with the scripted model picked. */
  async openChat(): Promise<void> {
    await runCommand(this.page, 'Chat: Open Chat');
    const input = this.page.locator(`${chat} .interactive-input-part .monaco-editor`).first();
    await input.waitFor({ timeout: 20_000 });
    const toolbar = this.page.locator(`${chat} .interactive-input-part`).first();
    await toolbar.getByText('Agent', { exact: true }).first().waitFor({ timeout: 10_000 });
    await toolbar.getByText('Scripted Model', { exact: true }).first().waitFor({ timeout: 10_000 });
  }

  /** A new, empty conversation in the same view (the previous one's history is not sent again). */
  async newChat(): Promise<void> {
    await this.page.locator(`${chat} a.action-label.codicon-plus[aria-label^="New Chat"]`).first().click();
    await sleep(300);
    await this.page.locator(`${chat} .interactive-input-part .monaco-editor`).first().waitFor();
  }

  /**
   * Changes user settings (through the scripted model's extension: code-server does not watch the settings file)
   * and waits until the extension host sees them. A new permission level (`chat.permissions.default`) applies to
   * chats started afterwards: call newChat().
   */
  async updateSettings(patch: Record<string, unknown>): Promise<void> {
    await writeFile(join(this.agentDir, 'apply-settings.json'), JSON.stringify(patch));
    const deadline = Date.now() + 15_000;
    for (;;) {
      const text = await readFile(join(this.agentDir, 'settings.json'), 'utf8');
      let seen: Record<string, unknown>;
      try {
        seen = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // The extension is writing the file right now: read it again.
        await sleep(100);
        continue;
      }
      if (Object.entries(patch).every(([key, value]) => !(key in seen) || JSON.stringify(seen[key]) === JSON.stringify(value))) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`the settings ${JSON.stringify(patch)} did not reach the extension host (it has ${JSON.stringify(seen)})`);
      }
      await sleep(100);
    }
  }

  /** Tells the scripted model what to play, types `text` into the chat input, and waits for the final answer. */
  async prompt(text: string, control: Control, options: PromptOptions = {}): Promise<PromptOutcome> {
    await writeFile(join(this.agentDir, 'control.json'), JSON.stringify(control));
    const page = this.page;
    await page.locator(`${chat} .interactive-input-part .monaco-editor`).first().click();
    await page.keyboard.type(text);
    const sent = Date.now();
    await page.keyboard.press('Enter');
    const confirmations: PromptOutcome['confirmations'] = [];
    const deadline = sent + (options.timeoutMs ?? 60_000);
    for (;;) {
      if (Date.now() > deadline) {
        throw new Error(`no answer to "${text}" within ${options.timeoutMs ?? 60_000} ms`);
      }
      const widget = page
        .locator('.chat-confirmation-widget2:visible')
        .filter({ has: page.locator('.monaco-dropdown-button') })
        .first();
      if (await widget.isVisible().catch(() => false)) {
        const title = (
          await widget
            .locator('.chat-confirmation-widget-title')
            .first()
            .innerText()
            .catch(() => '')
        ).trim();
        confirmations.push({ title, text: (await widget.innerText().catch(() => '')).trim() });
        if (options.confirmations === 'fail') {
          throw new Error(`a confirmation was shown: ${title}`);
        }
        await options.whileConfirming?.(title);
        if (typeof options.confirmations === 'function' && options.confirmations(title) === 'skip') {
          await this.skip(widget);
          continue;
        }
        await this.allowOnce(widget.locator('.monaco-dropdown-button').first());
        continue;
      }
      const answer = await this.finishedAnswer(control.runId);
      if (answer !== undefined) {
        return { answer, ms: Date.now() - sent, confirmations };
      }
      await sleep(100);
    }
  }

  /** The confirmation's "Skip" button: the tool does not run. */
  private async skip(widget: Locator): Promise<void> {
    await widget.locator('.monaco-button', { hasText: /^Skip/ }).first().click();
    await widget.waitFor({ state: 'hidden', timeout: 5_000 });
    await sleep(200);
  }

  /** "Allow Once" from the confirmation's dropdown (its main button allows the tool for the whole session). */
  private async allowOnce(dropdown: Locator): Promise<void> {
    const item = this.page.locator('.context-view .action-item', { hasText: 'Allow Once' }).first();
    await dropdown.click();
    await item.waitFor({ timeout: 5_000 });
    await sleep(300); // the menu ignores clicks while it opens
    await item.click();
    await item.waitFor({ state: 'hidden', timeout: 5_000 });
    await sleep(200);
  }

  /**
   * The answer once the scripted model has given it (it writes answer-<runId>.txt) and the chat view shows it in
   * its last response, no longer loading.
   */
  private async finishedAnswer(runId: string): Promise<string | undefined> {
    const file = join(this.agentDir, `answer-${runId}.txt`);
    if (!existsSync(file)) {
      return undefined;
    }
    const given = (await readFile(file, 'utf8')).split('\n')[0];
    const last = this.page.locator(`${chat} .interactive-session .interactive-response`).last();
    if (((await last.getAttribute('class').catch(() => null)) ?? 'chat-response-loading').includes('chat-response-loading')) {
      return undefined;
    }
    const shown = (
      await last
        .locator('.value > .chat-markdown-part')
        .allInnerTexts()
        .catch(() => [])
    )
      .join('\n')
      .trim();
    return shown.includes(given.replace(/`/g, '').slice(0, 40)) ? shown : undefined;
  }

  /** Every request the scripted model received, oldest first; only those of `runId` when given. */
  async requests(runId?: string): Promise<RecordedRequest[]> {
    const file = join(this.agentDir, 'requests.jsonl');
    if (!existsSync(file)) {
      return [];
    }
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    const all = lines.map((line) => JSON.parse(line) as RecordedRequest);
    return runId === undefined ? all : all.filter((request) => request.runId === runId);
  }

  /** Makes the chat wide and its steps expanded, for a screenshot that shows the whole exchange. */
  async showChatForScreenshot(path: string): Promise<void> {
    const page = this.page;
    const maximize = page.locator('a[aria-label="Maximize Secondary Side Bar"]:visible').first();
    if (await maximize.isVisible().catch(() => false)) {
      await maximize.click();
      await sleep(500);
    }
    // "Completed N steps": the tool calls of a response, collapsed once it has finished.
    for (const steps of await page.locator(`${chat} .interactive-response .chat-used-context-label`).all()) {
      const button = steps.locator('.monaco-button').first();
      if ((await button.getAttribute('aria-expanded').catch(() => null)) !== 'true') {
        await button.click().catch(() => {});
      }
    }
    await page.mouse.move(700, 880); // no tooltip in the picture
    await sleep(800);
    await page.screenshot({ path, animations: 'disabled' });
  }

  /** Back to the normal layout (the chat in the secondary side bar beside the editor). */
  async restoreLayout(): Promise<void> {
    const restore = this.page.locator('a[aria-label="Restore Secondary Side Bar"]:visible').first();
    if (await restore.isVisible().catch(() => false)) {
      await restore.click();
      await sleep(300);
    }
  }

  async stop(): Promise<void> {
    await this.workbench.close().catch(() => {});
    await this.server.stop();
    await rm(this.agentDir, { recursive: true, force: true });
  }

  private async waitForFile(name: string, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(join(this.agentDir, name))) {
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      }
      await sleep(100);
    }
  }
}
