/**
 * One way to run any detector as a Proposer: fit the photo into the model's input, run the model,
 * let a per-model decoder turn its outputs into boxes in input pixels, then map them back to the
 * photo, keep the wanted classes and run non-max suppression. The pretrained detectors and a
 * user's own model differ only in their ProposerSpec.
 */
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../../shared/errors.js';
import { fitTransform, nonMaxSuppression, toImageBox, type Fit, type FitTransform } from './geometry.js';
import type { DetectOptions, Proposal, Proposer, RgbImage } from './types.js';

type Tf = typeof TF;

/** How pixels (0–255) become the model's input tensor. */
export interface InputSpec {
  width: number;
  height: number;
  layout: 'nhwc' | 'nchw';
  channelOrder: 'rgb' | 'bgr';
  /** Per channel in `channelOrder`: input = (pixel − mean) / std. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  fit: Fit;
  /** The padding's pixel value (before mean/std) when `fit` is 'letterbox'. */
  padValue: number;
}

/** One output tensor's values, read back from the backend. */
export interface OutputData {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

/** A detection as a decoder reports it: corners in input pixels, class by index into `classes`. */
export interface RawDetection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  classIndex: number;
  score: number;
}

export interface DecodeContext {
  input: InputSpec;
  /** Class indices worth decoding; others may be skipped early. */
  wanted: ReadonlySet<number>;
  minScore: number;
  classCount: number;
}

export type OutputDecoder = (outputs: OutputData[], ctx: DecodeContext) => RawDetection[];

export interface ProposerSpec {
  id: string;
  name: string;
  /** Every class the model knows, in its output order. */
  modelClasses: readonly string[];
  /** The classes proposed (a subset of modelClasses, by name). */
  keep: readonly string[];
  input: InputSpec;
  /** Output node names to run (graph models); when absent, the model's own outputs. */
  outputs?: string[];
  decode: OutputDecoder;
  defaultMinScore: number;
  /** Non-max suppression: a box overlapping a better one of its class by more than this is dropped. */
  iouThreshold: number;
  defaultMaxBoxes: number;
}

/** Either TF.js model kind: both have `execute` and `predict`. */
export type DetectorModel = Pick<TF.InferenceModel, 'execute' | 'predict'> & { dispose(): void };

export function createProposer(tf: Tf, model: DetectorModel, spec: ProposerSpec): Proposer {
  const wanted = new Set<number>();
  for (const name of spec.keep) {
    const i = spec.modelClasses.indexOf(name);
    if (i < 0)
      throw new AppError(
        'INVALID_REQUEST',
        `Class '${name}' is not one of the ${spec.modelClasses.length} classes of ${spec.name}; expected one of ${spec.modelClasses.slice(0, 8).join(', ')}${spec.modelClasses.length > 8 ? ', …' : ''}.`,
      );
    wanted.add(i);
  }
  if (wanted.size === 0) throw new AppError('INVALID_REQUEST', `No classes to propose for ${spec.name}; expected at least one class name.`);
  let disposed = false;

  return {
    id: spec.id,
    name: spec.name,
    classes: spec.keep.slice(),
    defaultMinScore: spec.defaultMinScore,
    async detect(image: RgbImage, opts: DetectOptions = {}): Promise<Proposal[]> {
      if (disposed) throw new AppError('DETECTOR_UNAVAILABLE', `${spec.name} was disposed; load it again to detect.`);
      checkImage(image);
      const minScore = opts.minScore ?? spec.defaultMinScore;
      const maxBoxes = opts.maxBoxes ?? spec.defaultMaxBoxes;
      const t = fitTransform(image.width, image.height, spec.input.width, spec.input.height, spec.input.fit);
      const input = toInputTensor(tf, image, spec.input, t);
      let outputs: TF.Tensor[] = [];
      try {
        const out = spec.outputs ? model.execute(input, spec.outputs) : model.predict(input, {});
        outputs = Array.isArray(out) ? out : [out as TF.Tensor];
        const names = spec.outputs ?? outputs.map((_, i) => `output_${i}`);
        const data: OutputData[] = await Promise.all(
          outputs.map(async (o, i) => ({ name: names[i] ?? `output_${i}`, shape: o.shape.slice(), data: (await o.data()) as OutputData['data'] })),
        );
        const raw = spec.decode(data, { input: spec.input, wanted, minScore, classCount: spec.modelClasses.length });
        return toProposals(raw, spec, wanted, minScore, maxBoxes, t, image);
      } finally {
        input.dispose();
        for (const o of outputs) o.dispose();
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      model.dispose();
    },
  };
}

function checkImage(image: RgbImage): void {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new AppError('INVALID_REQUEST', `Image size must be positive whole pixels; got ${width}×${height}.`);
  if (data.length !== width * height * 3)
    throw new AppError(
      'INVALID_REQUEST',
      `Image of ${width}×${height} needs ${width * height * 3} bytes of RGB (3 a pixel); got ${data.length} (${(data.length / (width * height)).toFixed(2)} a pixel).`,
    );
}

/** The photo as the model's input: resized (and padded), channels reordered and normalised, batch of one. */
export function toInputTensor(tf: Tf, image: RgbImage, spec: InputSpec, t: FitTransform): TF.Tensor4D {
  return tf.tidy(() => {
    const pixels = tf.cast(tf.tensor3d(image.data, [image.height, image.width, 3], 'int32'), 'float32');
    let x: TF.Tensor3D =
      image.width === t.resizedWidth && image.height === t.resizedHeight
        ? pixels
        : tf.image.resizeBilinear(pixels, [t.resizedHeight, t.resizedWidth], false, true);
    if (t.resizedWidth !== t.inputWidth || t.resizedHeight !== t.inputHeight) {
      const bottom = t.inputHeight - t.resizedHeight - t.offsetY;
      const right = t.inputWidth - t.resizedWidth - t.offsetX;
      x = tf.pad(x, [[t.offsetY, bottom], [t.offsetX, right], [0, 0]], spec.padValue);
    }
    if (spec.channelOrder === 'bgr') x = tf.reverse(x, 2);
    const identity = spec.mean.every((m) => m === 0) && spec.std.every((s) => s === 1);
    if (!identity) x = tf.div(tf.sub(x, tf.tensor1d([...spec.mean])), tf.tensor1d([...spec.std]));
    const batch = tf.expandDims(x, 0) as TF.Tensor4D;
    return spec.layout === 'nchw' ? tf.transpose(batch, [0, 3, 1, 2]) : batch;
  });
}

function toProposals(
  raw: RawDetection[],
  spec: ProposerSpec,
  wanted: ReadonlySet<number>,
  minScore: number,
  maxBoxes: number,
  t: FitTransform,
  image: RgbImage,
): Proposal[] {
  const boxes: Proposal[] = [];
  for (const d of raw) {
    if (!wanted.has(d.classIndex) || !(d.score >= minScore)) continue;
    const b = toImageBox(d.x1, d.y1, d.x2, d.y2, t, image.width, image.height);
    if (!b) continue;
    boxes.push({ className: spec.modelClasses[d.classIndex]!, score: d.score, ...b });
  }
  return nonMaxSuppression(boxes, spec.iouThreshold, maxBoxes).map((p) => ({
    className: p.className,
    score: round(p.score, 4),
    x: round(p.x, 1),
    y: round(p.y, 1),
    w: round(p.w, 1),
    h: round(p.h, 1),
  }));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
