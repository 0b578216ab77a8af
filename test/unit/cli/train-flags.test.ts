/** `layerbench train` flags → TrainSettings, as validated afterwards by the api's schema. */
import { describe, expect, it } from 'vitest';
import { trainSettingsFromFlags } from '../../../main/cli/commands.js';
import { trainSettingsSchema } from '../../../shared/api/training.js';

describe('train flags', () => {
  it('reads SGD with momentum (the J2 example of docs/cli.md)', () => {
    const s = trainSettingsFromFlags({ epochs: '10', 'batch-size': '50', optimizer: 'sgd', lr: '0.01', momentum: '0.9' }, 'classification');
    expect(s).toMatchObject({ optimizer: 'sgd', learningRate: 0.01, momentum: 0.9, epochs: 10, batchSize: 50, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    expect(trainSettingsSchema.safeParse(s).success).toBe(true);
  });

  it('leaves momentum out unless given, and the schema refuses a momentum of 1 or more', () => {
    expect(trainSettingsFromFlags({}, 'regression').momentum).toBeUndefined();
    const r = trainSettingsSchema.safeParse(trainSettingsFromFlags({ optimizer: 'sgd', momentum: '1' }, 'regression'));
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('momentum');
  });
});
