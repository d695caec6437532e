/** Debian's Chromium driven by playwright-core, with the flags from DEVELOPERS.md. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchedBrowser {
  browser: Browser;
  close: () => Promise<void>;
}

export async function launchChromium({ webgpu }: { webgpu: boolean }): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'convnets-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    `--user-data-dir=${userDataDir}`,
    '--remote-debugging-pipe',
    '--enable-unsafe-swiftshader',
    ...(webgpu ? ['--enable-unsafe-webgpu'] : []),
  ];
  const browser = await chromium.launch({ executablePath: CHROMIUM, ignoreDefaultArgs: true, args, timeout: 60_000 });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
