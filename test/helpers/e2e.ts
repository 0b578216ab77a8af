/** Small steps every end-to-end spec takes: screenshots into test/artifacts/e2e and number fields. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { ROOT } from './serve.js';

export const SHOTS = path.join(ROOT, 'test', 'artifacts', 'e2e');

/** A PNG of the page in test/artifacts/e2e/<name>.png (the whole page unless `fullPage` is false). */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** Types a number into a field and commits it the way a user does (Enter, then leaving the field). */
export async function setNumber(page: Page, testId: string, value: number): Promise<void> {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.press('Enter');
  await input.blur();
}

/** From the Projects view: a new project in `dir`, its name shown in the status bar. */
export async function createProject(page: Page, url: string, dir: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('project-dir').fill(dir);
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('status-project')).toContainText(path.basename(dir));
}

/** Data view: imports one CSV file and waits for its dataset row. */
export async function importCsv(page: Page, csv: string): Promise<void> {
  await page.getByTestId('nav-data').click();
  await page.getByTestId('import-file').setInputFiles(csv);
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
}
