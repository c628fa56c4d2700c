// The web workbench of a running code-server, opened in headless Chromium for e2e tests.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { CodeServer } from './codeServer';

export interface Workbench {
  readonly page: Page;
  close(): Promise<void>;
}

export interface OpenWorkbenchOptions {
  /** Folder to open. */
  folder?: string;
  /** Load an unpackaged extension, as F5 does (otherwise use CodeServerOptions.vsixFiles). */
  extensionDevelopmentPath?: string;
}

/** Opens the workbench and waits until it has rendered its status bar. */
export async function openWorkbench(server: CodeServer, options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const browser: Browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const payload: [string, string][] = [['skipWelcome', 'true']];
    if (options.extensionDevelopmentPath) {
      payload.push(['extensionDevelopmentPath', server.remoteUri(options.extensionDevelopmentPath)]);
    }
    await page.goto(server.workbenchUrl(options.folder, payload));
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    return { page, close: () => browser.close() };
  } catch (e: unknown) {
    await browser.close();
    throw e;
  }
}

/** Runs a command from the command palette by its title, e.g. "Sample: Hello". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Waits for a notification toast containing `text`. */
export async function waitForNotification(page: Page, text: string, timeoutMs = 10_000): Promise<void> {
  await page.locator('.notification-toast', { hasText: text }).first().waitFor({ timeout: timeoutMs });
}
