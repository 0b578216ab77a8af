/**
 * Keras layers TF.js 4.22 lacks, built from what it has. Each is registered under its Keras class
 * name, so a model holding one saves as Keras JSON and loads back (tf.models.modelFromJSON,
 * tf.loadLayersModel) once registerCustomLayers has run for that `tf`.
 */
import type * as TF from '@tensorflow/tfjs';

type Tf = typeof TF;
type Kwargs = Record<string, unknown>;

export interface CustomLayers {
  SpatialDropout2D: new (args: { rate: number; name?: string; seed?: number }) => TF.layers.Layer;
  Subtract: new (args: { name?: string }) => TF.layers.Layer;
}

const registered = new WeakMap<Tf, CustomLayers>();

function one(inputs: TF.Tensor | TF.Tensor[]): TF.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/**
 * The custom layer classes for this `tf` (the trainer picks the package, and each has its own
 * class registry), defined and registered on first use.
 */
export function registerCustomLayers(tf: Tf): CustomLayers {
  const known = registered.get(tf);
  if (known) return known;

  // TF.js has SpatialDropout1D but not 2D: the same dropout with a noise shape of
  // (batch, 1, 1, channels), so a channel is dropped at every position or none.
  class SpatialDropout2D extends tf.layers.Layer {
    static className = 'SpatialDropout2D';
    readonly rate: number;
    readonly seed: number | undefined;
    constructor(args: { rate: number; name?: string; seed?: number }) {
      super(args);
      this.rate = Math.max(Math.min(args.rate, 1), 0);
      this.seed = args.seed;
      this.supportsMasking = true;
      this.inputSpec = [{ ndim: 4 }];
    }
    override computeOutputShape(inputShape: TF.Shape | TF.Shape[]): TF.Shape | TF.Shape[] {
      return inputShape;
    }
    override call(inputs: TF.Tensor | TF.Tensor[], kwargs: Kwargs): TF.Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        if (kwargs['training'] !== true || this.rate <= 0 || this.rate >= 1) return x.clone();
        const [batch, , , channels] = x.shape;
        return tf.dropout(x, this.rate, [batch!, 1, 1, channels!], this.seed);
      });
    }
    override getConfig(): TF.serialization.ConfigDict {
      return { ...super.getConfig(), rate: this.rate, ...(this.seed === undefined ? {} : { seed: this.seed }) };
    }
  }

  // TF.js has Add, Multiply, Average, Maximum and Minimum but not Subtract: first minus second.
  class Subtract extends tf.layers.Layer {
    static className = 'Subtract';
    override computeOutputShape(inputShape: TF.Shape | TF.Shape[]): TF.Shape {
      const shapes = inputShape as TF.Shape[];
      if (!Array.isArray(shapes[0]) || shapes.length !== 2)
        throw new Error(`Subtract needs exactly 2 inputs; got ${Array.isArray(shapes[0]) ? shapes.length : 1}`);
      return shapes[0];
    }
    override call(inputs: TF.Tensor | TF.Tensor[]): TF.Tensor {
      return tf.tidy(() => {
        if (!Array.isArray(inputs) || inputs.length !== 2)
          throw new Error(`Subtract needs exactly 2 inputs; got ${Array.isArray(inputs) ? inputs.length : 1}`);
        return tf.sub(inputs[0]!, inputs[1]!);
      });
    }
  }

  tf.serialization.registerClass(SpatialDropout2D);
  tf.serialization.registerClass(Subtract);
  const layers: CustomLayers = { SpatialDropout2D, Subtract };
  registered.set(tf, layers);
  return layers;
}
