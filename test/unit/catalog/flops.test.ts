/** Cost estimates against hand-computed numbers: a multiply-add counts 2, per sample. */
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../shared/graph.js';
import type { Shape } from '../../../shared/shape.js';
import { CATALOG, getLayerSpec, withDefaults } from '../../../shared/catalog/index.js';

function flops(type: string, inputs: number[][], config: Record<string, JsonValue> = {}): number {
  const spec = getLayerSpec(type)!;
  const full = withDefaults(type, config);
  const shapes: Shape[] = inputs.map((s) => [null, ...s]);
  return spec.flops(shapes, spec.outputShape(shapes, full), full);
}

describe('flops per sample', () => {
  it('Dense: 2 · features · units per position', () => {
    expect(flops('Dense', [[8]], { units: 5 })).toBe(2 * 8 * 5);
    expect(flops('Dense', [[4, 6]], { units: 7 })).toBe(2 * 4 * 6 * 7);
  });

  it('Conv2D: 2 · K · K · Cin · Cout · Hout · Wout', () => {
    // same padding keeps 28 × 28
    expect(flops('Conv2D', [[28, 28, 1]], { filters: 32, kernel_size: [5, 5], padding: 'same' })).toBe(1_254_400);
    expect(2 * 5 * 5 * 1 * 32 * 28 * 28).toBe(1_254_400);
    // valid, stride 2: (9 - 3) / 2 + 1 = 4 rows, (7 - 2) / 2 + 1 = 3 columns
    expect(flops('Conv2D', [[9, 7, 2]], { filters: 3, kernel_size: [3, 2], strides: [2, 2] })).toBe(2 * 3 * 2 * 2 * 3 * 4 * 3);
  });

  it('LSTM: 2 · 4 · (features + units + 1) · units · steps', () => {
    expect(flops('LSTM', [[1, 8]], { units: 50 })).toBe(23_600);
    expect(2 * 4 * (8 + 50 + 1) * 50 * 1).toBe(23_600);
    // every step is computed, whether or not it is returned
    expect(flops('LSTM', [[6, 3]], { units: 4 })).toBe(2 * 4 * (3 + 4 + 1) * 4 * 6);
    expect(flops('LSTM', [[6, 3]], { units: 4, return_sequences: true })).toBe(2 * 4 * (3 + 4 + 1) * 4 * 6);
    expect(flops('GRU', [[6, 3]], { units: 4 })).toBe(2 * 3 * (3 + 4 + 1) * 4 * 6);
    expect(flops('SimpleRNN', [[6, 3]], { units: 4 })).toBe(2 * (3 + 4 + 1) * 4 * 6);
  });

  it('wrappers: both directions, or the wrapped layer once per step', () => {
    expect(flops('Bidirectional', [[5, 3]], { units: 4 })).toBe(2 * (2 * 4 * (3 + 4 + 1) * 4 * 5));
    // sum merges the two (batch, 4) outputs: 4 more
    expect(flops('Bidirectional', [[5, 3]], { units: 4, merge_mode: 'sum' })).toBe(2 * (2 * 4 * (3 + 4 + 1) * 4 * 5) + 4);
    expect(flops('TimeDistributed', [[5, 3]], { units: 4 })).toBe(flops('Dense', [[5, 3]], { units: 4 }));
  });

  it('separable, depthwise and transposed convolutions', () => {
    // 6 × 6 out: depthwise 2·3·3·3·36, pointwise 2·3·4·36
    expect(flops('SeparableConv2D', [[8, 8, 3]], { filters: 4 })).toBe(2 * 9 * 3 * 36 + 2 * 3 * 4 * 36);
    expect(flops('DepthwiseConv2D', [[8, 8, 3]], { depth_multiplier: 2 })).toBe(2 * 9 * 6 * 36);
    // each of the 4·4·2 inputs spreads over a 3·3·5 patch
    expect(flops('Conv2DTranspose', [[4, 4, 2]], { filters: 5, strides: [2, 2] })).toBe(2 * 9 * 2 * 5 * 16);
  });

  it('element-wise layers cost about their output size; moving data costs nothing', () => {
    expect(flops('Activation', [[3, 4]])).toBe(12);
    expect(flops('Add', [[6], [6], [6]])).toBe(12);
    expect(flops('Average', [[6], [6]])).toBe(12);
    expect(flops('MaxPooling2D', [[4, 4, 3]])).toBe(4 * 2 * 2 * 3);
    expect(flops('GlobalAveragePooling2D', [[4, 4, 3]])).toBe(48);
    for (const type of ['Flatten', 'Dropout', 'Embedding']) expect(flops(type, [[4, 4, 3]])).toBe(0);
  });

  it('is a finite, non-negative number for every layer at its defaults', () => {
    const tries = [[[8]], [[6, 4]], [[8, 8, 3]], [[4, 8, 8, 3]]];
    for (const spec of CATALOG.filter((s) => s.type !== 'Input')) {
      const fits = tries.map((t) => Array<number[]>(Math.max(1, spec.inputs.min)).fill(t[0]!)).find((inputs) => {
        try {
          getLayerSpec(spec.type)!.outputShape(inputs.map((s) => [null, ...s]), withDefaults(spec.type));
          return true;
        } catch {
          return false;
        }
      });
      expect(fits, spec.type).toBeDefined();
      const f = flops(spec.type, fits!);
      expect(Number.isFinite(f) && f >= 0, `${spec.type}: ${f}`).toBe(true);
    }
  });
});
