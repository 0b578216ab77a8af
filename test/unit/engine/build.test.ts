import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel, toTfArgs } from '../../../main/engine/build.js';
import { buildTemplate } from '../../../shared/templates.js';
import { AppError } from '../../../shared/errors.js';
import { chain } from '../catalog/graphs.js';

tf.setBackend('cpu');

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

describe('buildModel', () => {
  it('builds J1 with layer names from the graph, and it predicts', () => {
    const model = buildModel(tf, buildTemplate('j1-lstm'));
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'lstm', 'dense']);
    expect(model.inputs[0]!.shape).toEqual([null, 1, 8]);
    const x = tf.ones([3, 1, 8]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 1]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('refuses an invalid graph with its first problem', () => {
    const e = thrown(() => buildModel(tf, chain([8], ['LSTM', { units: 50 }])));
    expect(e.code).toBe('GRAPH_INVALID');
    expect(e.message).toBe("LSTM 'lstm_1' needs a 3-D input (batch, steps, features); got (batch, 8)");
    expect(e.details?.['problems']).toHaveLength(1);
  });

  it('refuses a GRU with reset_after, which TF.js cannot build', () => {
    const e = thrown(() => buildModel(tf, chain([2, 3], ['GRU', { units: 4, reset_after: true }])));
    expect(e.message).toBe("GRU 'gru_1' has reset_after = true, which TF.js cannot build; set reset_after to false");
  });

  it('uses Keras defaults TF.js does not share: sigmoid gates, glorot_uniform kernels', () => {
    const model = buildModel(tf, chain([1, 8], ['LSTM', { units: 4 }]));
    const config = model.getLayer('lstm_1').getConfig();
    expect(config['recurrentActivation']).toBe('sigmoid');
    expect((config['kernelInitializer'] as { className: string; config: Record<string, unknown> }).config).toMatchObject({ distribution: 'uniform', mode: 'fanAvg' });
    model.dispose();
  });

  it('turns Keras config into TF.js args', () => {
    expect(toTfArgs({ units: 3, use_bias: false, recurrent_activation: 'hard_sigmoid', strides: null })).toEqual({ units: 3, useBias: false, recurrentActivation: 'hardSigmoid' });
  });
});
