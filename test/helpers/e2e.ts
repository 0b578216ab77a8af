/** Small steps every end-to-end spec takes: screenshots into test/artifacts/e2e and number fields. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
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
