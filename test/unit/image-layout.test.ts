/** How image datasets feed a classifier: the layout templates are sized from, the refusals, and the Input shapes that fit. */
import { describe, expect, it } from 'vitest';
import { imageClassificationProblem, imageLayout } from '../../shared/image-layout.js';
import { modelDataFit } from '../../shared/model-fit.js';
import { buildTemplate } from '../../shared/templates.js';
import type { ImageDataset } from '../../shared/dataset.js';
import type { ImageDatasetStats } from '../../shared/images.js';
import type { ModelGraph } from '../../shared/graph.js';

function dataset(height: number, width: number, channels: 1 | 3): ImageDataset {
  return {
    id: 'd', name: 'pets', kind: 'images', sourceName: 'pets', sha256: '', bytes: 0, createdAt: '',
    profile: { format: 'class-folders', imageCount: 10, problems: [], notes: [], task: 'classification' },
    config: { height, width, channels, task: 'classification' },
  };
}

function stats(classes: [string, number, number?][], images = 10): ImageDatasetStats {
  return {
    images, labelled: 0, unlabelled: 0, proposals: 0, bySplit: { train: 0, validation: 0, test: 0, none: images },
    classes: classes.map(([name, n, boxes], i) => ({ classId: i, name, color: '', images: n, boxes: boxes ?? 0 })),
    boxesPerImage: [], boxSizes: { small: 0, medium: 0, large: 0, huge: 0 },
  };
}

const withInput = (g: ModelGraph, shape: number[]): ModelGraph => ({ ...g, nodes: g.nodes.map((n) => (n.type === 'Input' ? { ...n, config: { ...n.config, shape } } : n)) });

describe('image layout', () => {
  it('keeps small images at their size (IDX 28×28×1) and starts larger ones at 64 a side', () => {
    expect(imageLayout(dataset(28, 28, 1), ['a', 'b']).inputShape).toEqual([28, 28, 1]);
    expect(imageLayout(dataset(224, 224, 3), ['a', 'b']).inputShape).toEqual([64, 64, 3]);
    expect(imageLayout(dataset(224, 112, 3), ['a', 'b', 'c'])).toMatchObject({ inputShape: [64, 32, 3], outputUnits: 3, task: 'classification', classes: ['a', 'b', 'c'] });
  });

  it('sizes the J2 and small CNN templates to the images and classes, and they fit', () => {
    const layout = imageLayout(dataset(28, 28, 1), ['0', '1', '2', '3']);
    for (const t of ['j2-cnn', 'image-small'] as const) {
      const g = buildTemplate(t, layout);
      expect(g.nodes[0]!.config['shape']).toEqual([28, 28, 1]);
      expect(g.nodes.at(-1)!.config).toMatchObject({ units: 4, activation: 'softmax' });
      expect(modelDataFit(g, layout, 'categoricalCrossentropy').problems).toEqual([]);
    }
  });

  it('fits any (height, width, 1 or 3) Input, since images are resized to it, and explains any other', () => {
    const layout = imageLayout(dataset(32, 32, 3), ['a', 'b']);
    const g = buildTemplate('image-small', layout);
    expect(modelDataFit(withInput(g, [16, 24, 1]), layout, 'categoricalCrossentropy').problems).toEqual([]);
    const flat = modelDataFit(buildTemplate('mlp'), layout, 'categoricalCrossentropy').problems[0];
    expect(flat).toMatchObject({
      nodeId: 'n1',
      message: "The model's input 'input' takes (batch, 1, 8), but this dataset feeds images as (height, width, channels) with 1 (grey) or 3 (RGB) channels",
      hint: 'Set the Input shape to [height, width, channels], such as [32, 32, 3], or start from an image template.',
    });
    expect(modelDataFit(withInput(g, [32, 32, 2]), layout).problems[0]?.message).toContain('takes (batch, 32, 32, 2)');
    expect(modelDataFit(g, { ...layout, outputUnits: 5 }).problems[0]?.message).toContain('needs (batch, 5)');
  });

  it('says why a dataset cannot train a classifier yet', () => {
    expect(imageClassificationProblem('walk', stats([['person', 0, 12]], 20))).toBe(
      "Dataset 'walk' has no image with a class (20 images, 12 boxes): give images a class in the Label view to train a classifier (boxes are not used for classification).",
    );
    expect(imageClassificationProblem('pets', stats([['cat', 7], ['dog', 0]]))).toBe(
      "Dataset 'pets' has images of one class only ('cat', 7 images); a classifier needs images of at least two classes.",
    );
    expect(imageClassificationProblem('pets', stats([['cat', 7], ['dog', 1]]))).toBeNull();
  });
});
