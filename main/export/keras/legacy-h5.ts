/**
 * The legacy single-file `.h5` that tf.keras 2 saves (`model.save('m.h5')`) and Keras 3 still loads
 * (keras.models.load_model, legacy path): root attributes `model_config` (Keras 2 JSON),
 * `keras_version`, `backend`; group `model_weights` with `layer_names`, and per layer a group with
 * `weight_names` holding its datasets at those names (`model_weights/dense/dense/kernel:0`).
 */
import type { KerasModelJson } from '../../../shared/keras.js';
import { ensureGroup, writeFloats, writeH5, writeStrings } from './h5.js';
import type { PlacedLayer } from './layout.js';

export const LEGACY_KERAS_VERSION = '2.15.0';

export async function writeLegacyH5(file: string, modelConfig: KerasModelJson, layers: PlacedLayer[]): Promise<void> {
  await writeH5(file, (f) => {
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('keras_version', LEGACY_KERAS_VERSION);
    f.create_attribute('model_config', JSON.stringify(modelConfig));
    const mw = ensureGroup(f, 'model_weights');
    mw.create_attribute('backend', 'tensorflow');
    mw.create_attribute('keras_version', LEGACY_KERAS_VERSION);
    writeStrings(mw, 'layer_names', layers.map((l) => l.name));
    for (const layer of layers) {
      const g = ensureGroup(mw, layer.name);
      writeStrings(g, 'weight_names', layer.weights.map((w) => w.legacyName));
      for (const w of layer.weights) {
        const parts = w.legacyName.split('/');
        const leaf = parts.pop()!;
        writeFloats(ensureGroup(g, parts.join('/')), leaf, w.weight.values, w.weight.shape);
      }
    }
  });
}
