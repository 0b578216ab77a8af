/** Palette search ranking: type prefix, then word start, then inside the type, then group and doc. */
import { describe, expect, it } from 'vitest';
import { rankLayers, searchLayers, wordStarts } from '../../../shared/graph-edit/index.js';
import { CATALOG, getLayerSpec } from '../../../shared/catalog/index.js';
import type { LayerSpec } from '../../../shared/catalog/types.js';

const types = (q: string, specs?: LayerSpec[]) => searchLayers(q, specs).map((s) => s.type);

/** A small fixed catalog so the ranking rules are tested apart from what the real catalog holds. */
const spec = (type: string, group: LayerSpec['group'], doc: string): LayerSpec => ({ ...getLayerSpec('Dense')!, type, group, doc });
const FIXED: LayerSpec[] = [
  spec('Dense', 'Core', 'Fully connected layer.'),
  spec('Bidirectional', 'Recurrent', 'Runs an LSTM or GRU both ways.'),
  spec('ConvLSTM2D', 'Recurrent', 'Convolutional recurrence.'),
  spec('Conv2D', 'Convolution', '2-D convolution.'),
  spec('SeparableConv2D', 'Convolution', 'Depthwise then pointwise.'),
  spec('Conv1D', 'Convolution', '1-D convolution.'),
  spec('LSTM', 'Recurrent', 'Long short-term memory.'),
  spec('GlobalMaxPooling1D', 'Pooling', 'Max over steps.'),
  spec('MaxPooling1D', 'Pooling', 'Largest value in each window.'),
  spec('Concatenate', 'Merging', 'Joins inputs.'),
];

describe('searchLayers', () => {
  it('exact type, then prefix, then word start, then inside, then doc', () => {
    expect(types('lstm', FIXED)).toEqual(['LSTM', 'ConvLSTM2D', 'Bidirectional']);
    expect(types('conv', FIXED)).toEqual(['Conv2D', 'Conv1D', 'ConvLSTM2D', 'SeparableConv2D']);
    expect(types('pool', FIXED)).toEqual(['MaxPooling1D', 'GlobalMaxPooling1D']);
    expect(rankLayers('lstm', FIXED).map((m) => m.rank)).toEqual([0, 2, 5]);
  });

  it('ignores case, spaces, _ and -', () => {
    expect(types('MAX POOL', FIXED)[0]).toBe('MaxPooling1D');
    expect(types('max_pooling', FIXED)[0]).toBe('MaxPooling1D');
    expect(types('global-max', FIXED)).toEqual(['GlobalMaxPooling1D']);
  });

  it('finds by group and by words of the doc', () => {
    expect(types('merging', FIXED)).toEqual(['Concatenate']);
    expect(types('memory', FIXED)).toEqual(['LSTM']);
    expect(types('largest window', FIXED)).toEqual(['MaxPooling1D']);
    expect(types('xyz', FIXED)).toEqual([]);
  });

  it('an empty query lists everything in catalog order', () => {
    expect(types('  ', FIXED)).toEqual(FIXED.map((s) => s.type));
  });

  it('on the real catalog: conv finds the convolutions first, lstm finds LSTM first', () => {
    const conv = types('conv');
    expect(conv.slice(0, 2)).toEqual(['Conv1D', 'Conv2D']);
    // A type that starts with the query beats one where it starts a later word.
    if (conv.includes('SeparableConv2D') && conv.includes('Conv2DTranspose'))
      expect(conv.indexOf('SeparableConv2D')).toBeGreaterThan(conv.indexOf('Conv2DTranspose'));
    const lstm = types('lstm');
    expect(lstm[0]).toBe('LSTM');
    if (getLayerSpec('Bidirectional')?.doc.toLowerCase().includes('lstm')) expect(lstm).toContain('Bidirectional');
    expect(types('dense')[0]).toBe('Dense');
    expect(types('input')[0]).toBe('Input');
    expect(searchLayers('')).toHaveLength(CATALOG.length);
  });
});

describe('wordStarts', () => {
  it('splits class names where Keras words begin', () => {
    const words = (t: string) => {
      const s = wordStarts(t);
      return s.map((i, k) => t.slice(i, s[k + 1]));
    };
    expect(words('GlobalAveragePooling1D')).toEqual(['Global', 'Average', 'Pooling', '1D']);
    expect(words('ConvLSTM2D')).toEqual(['Conv', 'LSTM', '2D']);
    expect(words('SimpleRNN')).toEqual(['Simple', 'RNN']);
    expect(words('Conv2DTranspose')).toEqual(['Conv', '2D', 'Transpose']);
  });
});
