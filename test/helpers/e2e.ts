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

/**
 * Data view, a J1-style pollution CSV imported: this hour's 8 variables (pollution as the target
 * and an input, wind direction as an integer code) predict the next hour's pollution, the first
 * `trainRows` rows train.
 */
export async function setUpJ1Columns(page: Page, trainRows: number): Promise<void> {
  await page.getByTestId('role-select-pollution').selectOption('target');
  await page.getByTestId('encoding-select-wnd_dir').selectOption('integer');
  await setNumber(page, 'lookback-input', 1);
  await setNumber(page, 'horizon-input', 1);
  await page.getByTestId('target-as-input').check();
  await page.getByTestId('split-kind').selectOption('chronological');
  await setNumber(page, 'train-rows', trainRows);
  await expect(page.getByTestId('layout-input-shape')).toContainText('1, 8');
}

/** Data view: imports one CSV file and waits for its dataset row. */
export async function importCsv(page: Page, csv: string): Promise<void> {
  await page.getByTestId('nav-data').click();
  await page.getByTestId('import-file').setInputFiles(csv);
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
}
