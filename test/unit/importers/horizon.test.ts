/** Forecasting configs: the target some rows ahead, with its own past as an input (J1). */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { profileCsv } from '../../../main/importers/csv/index.js';
import { prepareTabular } from '../../../main/importers/csv/prepare.js';
import { defaultDatasetConfig, featureLayout, type DatasetConfig } from '../../../shared/dataset.js';

async function fixture() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-horizon-'));
  const file = path.join(dir, 'series.csv');
  // y doubles x of the same row; a model predicting the next y needs the next x, or this y.
  const rows = Array.from({ length: 10 }, (_, i) => `${i},${2 * i}`);
  writeFileSync(file, 'x,y\n' + rows.join('\n') + '\n');
  const profile = await profileCsv(file);
  return { file, profile };
}

function config(base: DatasetConfig, patch: Partial<DatasetConfig>): DatasetConfig {
  return {
    ...base,
    columns: [
      { name: 'x', role: 'feature', encoding: 'onehot' },
      { name: 'y', role: 'target', encoding: 'onehot' },
    ],
    scaling: 'none',
    split: { kind: 'chronological', trainRows: 8, validationFraction: 0 },
    ...patch,
  };
}

describe('horizon and target as input', () => {
  it('pairs each window with the target horizon rows later and includes the past target', async () => {
    const { file, profile } = await fixture();
    const c = config(defaultDatasetConfig(profile), { lookback: 2, horizon: 1, targetAsInput: true });
    const data = await prepareTabular(file, profile, c);
    expect(data.inputs[0]!.shape).toEqual([2, 2]);
    expect(featureLayout(profile, c).inputShape).toEqual([2, 2]);
    expect(data.pre.featureNames).toEqual(['x', 'y']);
    // First sample: rows 0 and 1 as input, the target of row 2.
    expect(Array.from(data.train.xs[0]!.subarray(0, 4))).toEqual([0, 0, 1, 2]);
    expect(data.train.y[0]).toBe(4);
    expect(data.train.rowIndex[0]).toBe(2);
    // Targets of rows 2..7 train, rows 8 and 9 test.
    expect(data.train.count).toBe(6);
    expect(Array.from(data.test.rowIndex)).toEqual([8, 9]);
    expect(Array.from(data.test.xs[0]!.subarray(4, 8))).toEqual([7, 14, 8, 16]);
  });

  it('refuses the target as an input without a horizon, which would leak the answer', async () => {
    const { file, profile } = await fixture();
    await expect(prepareTabular(file, profile, config(defaultDatasetConfig(profile), { lookback: 1, horizon: 0, targetAsInput: true }))).rejects.toThrow(
      "Using the target 'y' as an input needs a horizon of at least 1 row; with horizon 0 the model would see the answer.",
    );
  });
});
