/**
 * Keras 3's model.weights.h5: an empty `vars` group for the model, and per layer
 * `layers/<layer>/vars/<i>` (a sublayer's under its attribute: `layers/lstm/cell/vars/0`).
 * Keras 3 reads each layer's variables by index, so the order within a layer is what matters.
 */
import { ensureGroup, writeFloats, writeH5 } from './h5.js';
import type { PlacedLayer } from './layout.js';

export async function writeKeras3Weights(file: string, layers: PlacedLayer[]): Promise<void> {
  await writeH5(file, (f) => {
    ensureGroup(f, 'vars');
    for (const layer of layers) {
      for (const g of layer.groups) ensureGroup(f, `${g}/vars`);
      for (const w of layer.weights) writeFloats(ensureGroup(f, `${w.group}/vars`), String(w.index), w.weight.values, w.weight.shape);
    }
  });
}
