// The web workbench of a running code-server, opened in headless Chromium for e2e tests.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { CodeServer } from './codeServer';

export interface Workbench {
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * Opens the workbench on `folder` and waits until it has rendered its status bar.
 * Install the extension under test as a VSIX (CodeServerOptions.vsixFiles): loading it
 * with extensionDevelopmentPath needs the smoke-test driver, which hides notification toasts.
 */
export async function openWorkbench(server: CodeServer, folder?: string): Promise<Workbench> {
  const browser: Browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A loaded machine (other test runs, two cores) can take over 30 s to serve the workbench page.
    await page.goto(server.workbenchUrl(folder), { timeout: 120_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    return { page, close: () => browser.close() };
  } catch (e: unknown) {
    await browser.close();
    throw e;
  }
}

/**
 * Runs a command from the command palette by its title, e.g. "Sample: Hello". The
 * palette lists only commands registered when it opened, and extensions register theirs
 * a few seconds after the workbench shows, so it reopens the palette until the title is there.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor();
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 2000 });
      break;
    } catch (e: unknown) {
      if (Date.now() > deadline) {
        throw e;
      }
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/** Waits for a notification toast containing `text`. */
export async function waitForNotification(page: Page, text: string, timeoutMs = 10_000): Promise<void> {
  await page.locator('.notification-toast', { hasText: text }).first().waitFor({ timeout: timeoutMs });
}
