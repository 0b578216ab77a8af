/**
 * The desktop shell, driven through Playwright's Electron support: the sandboxed window loads the
 * app over layerbench://, the preload bridge answers, and a project can be created. It needs the
 * Electron binary, which our build machines cannot download, so there it is skipped and says so.
 */
import { test, expect, _electron as electron } from '@playwright/test';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/serve.js';

function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const SKIP_REASON = 'Electron binary not installed on this machine (it cannot be downloaded here), so the desktop shell was not exercised.';
if (!binary) console.log(`Skipped the Electron suite: ${SKIP_REASON}`);

test('the desktop window opens the app, with the preload bridge and no Node in the page', async () => {
  test.skip(!binary, SKIP_REASON);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: [ROOT],
    env: { ...process.env, LAYERBENCH_HOME: path.join(tmp, 'home') },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('status-connection')).toBeVisible();
    expect(page.url()).toMatch(/^layerbench:\/\/app\//);
    // Sandboxed: the page has the bridge and nothing of Node or ipcRenderer.
    expect(await page.evaluate('typeof window.layerbench?.invoke')).toBe('function');
    expect(await page.evaluate('typeof require')).toBe('undefined');
    expect(await page.evaluate('typeof process')).toBe('undefined');
    await page.getByTestId('project-dir').fill(path.join(tmp, 'desktop-project'));
    await page.getByTestId('create-project').click();
    await expect(page.getByTestId('status-project')).toContainText('desktop-project');
    expect(existsSync(path.join(tmp, 'desktop-project', 'project.lbproj'))).toBe(true);
  } finally {
    await app.close();
  }
});
