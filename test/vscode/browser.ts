// Headless Debian Chromium driven by playwright-core: it plays the user of the web workbench.
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/**
 * Launches headless Chromium. Playwright gives each launch a fresh temporary profile
 * (--user-data-dir) and removes it on close; the flags are the ones that work as root here.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    chromiumSandbox: false, // --no-sandbox: we run as root
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
