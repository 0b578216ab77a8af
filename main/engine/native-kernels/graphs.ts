/**
 * The tiny ONNX models the native kernels run (./runtime.ts): one operation each, for one set of
 * shapes, in TF.js's layouts at the edges (NHWC images, [kh, kw, in, out] filters, [m, k]
 * matrices) with onnxruntime's layouts inside. Everything here is a pure function of its spec, so
 * the spec is also the session's key.
 */
import { OnnxBuilder } from '../../export/onnx/builder.js';
import { DT, onnxType } from '../../export/onnx/schema.js';

/** ONNX opset of these models. */
const OPSET = 17;

/** TF.js's fused activations (backend_util.Activation). */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'prelu' | 'leakyrelu' | 'elu' | 'sigmoid';

export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface ConvSpec {
  op: 'conv2d';
  x: number[];
  filter: number[];
  out: number[];
  strides: [number, number];
  dilations: [number, number];
  pads: Pads;
  /** A bias input `b` of shape [out channels], added by the convolution. */
  bias?: boolean;
  activation?: FusedActivation;
  /** The shape of the PReLU weights input `alpha` (activation 'prelu'). */
  alpha?: number[];
  leakyAlpha?: number;
}

export interface ConvInputGradSpec {
  op: 'conv2dBackpropInput';
  dy: number[];
  filter: number[];
  /** dx's shape, [n, h, w, in channels]. */
  x: number[];
  strides: [number, number];
  dilations: [number, number];
  pads: Pads;
}

export interface ConvFilterGradSpec {
  op: 'conv2dBackpropFilter';
  x: number[];
  dy: number[];
  filter: number[];
  strides: [number, number];
  dilations: [number, number];
  pads: Pads;
}

export interface MatMulSpec {
  op: 'matMul';
  a: number[];
  b: number[];
  out: number[];
  transposeA: boolean;
  transposeB: boolean;
  /** The shape of a bias input `bias`, added to the product. */
  bias?: number[];
  activation?: FusedActivation;
  alpha?: number[];
  leakyAlpha?: number;
}

export interface SumSpec {
  op: 'sum';
  x: number[];
  /** Distinct axes to sum over, in ascending order. */
  axes: number[];
  keepDims: boolean;
  out: number[];
}

export type NativeSpec = ConvSpec | ConvInputGradSpec | ConvFilterGradSpec | MatMulSpec | SumSpec;

function valueInfo(name: string, shape: readonly number[]) {
  return { name, type: { tensor_type: { elem_type: DT.FLOAT, shape: { dim: shape.map((d) => ({ dim_value: d })) } } } };
}

/** The model's bytes: `build` adds nodes from the named inputs and returns the output's name. */
function modelBytes(inputs: [string, readonly number[]][], output: readonly number[], build: (b: OnnxBuilder) => string): Uint8Array {
  const b = new OnnxBuilder();
  for (const [name] of inputs) b.reserve(name);
  b.reserve('y');
  b.opN('Identity', [build(b)], {}, 'out', ['y']);
  const model = {
    ir_version: 8,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'Layerbench native kernels',
    graph: { name: 'op', node: b.nodes, initializer: b.initializers, input: inputs.map(([n, s]) => valueInfo(n, s)), output: [valueInfo('y', output)] },
  };
  const type = onnxType('ModelProto');
  return type.encode(type.fromObject(model)).finish();
}

const perm = (b: OnnxBuilder, x: string, p: number[]) => b.op('Transpose', [x], { perm: { ints: p } });

/** TF.js's fused activation after `y` (NHWC or [m, n], so PReLU weights broadcast as in TF.js). */
function activate(b: OnnxBuilder, y: string, activation: FusedActivation | undefined, leakyAlpha: number | undefined): string {
  switch (activation ?? 'linear') {
    case 'linear':
      return y;
    case 'relu':
      return b.op('Relu', [y]);
    case 'relu6':
      return b.op('Clip', [y, b.floats('min', [0], []), b.floats('max', [6], [])]);
    case 'prelu':
      return b.op('PRelu', [y, 'alpha']);
    case 'leakyrelu':
      return b.op('LeakyRelu', [y], { alpha: { f: leakyAlpha ?? 0.2 } });
    case 'elu':
      return b.op('Elu', [y], { alpha: { f: 1 } });
    case 'sigmoid':
      return b.op('Sigmoid', [y]);
  }
  throw new Error(`unknown fused activation '${String(activation)}'`);
}

/** Conv2D (with FusedConv2D's bias and activation): NHWC x and [kh, kw, in, out] filter. */
export function convModel(s: ConvSpec): Uint8Array {
  return modelBytes(inputsOf(s), s.out, (b) => {
    const conv = b.op('Conv', [perm(b, 'x', [0, 3, 1, 2]), perm(b, 'w', [3, 2, 0, 1]), ...(s.bias ? ['b'] : [])], {
      strides: { ints: s.strides },
      dilations: { ints: s.dilations },
      pads: { ints: [s.pads.top, s.pads.left, s.pads.bottom, s.pads.right] },
    });
    return activate(b, perm(b, conv, [0, 2, 3, 1]), s.activation, s.leakyAlpha);
  });
}

/**
 * The extra rows (columns) a transposed convolution must add at the end to give back the forward
 * input's size, or null when onnxruntime cannot (it must be below the stride).
 */
export function outputPadding(inSize: number, outSize: number, stride: number, kernel: number, dilation: number, padBefore: number, padAfter: number): number | null {
  const extra = inSize - (stride * (outSize - 1) + (kernel - 1) * dilation + 1 - padBefore - padAfter);
  return extra >= 0 && extra < stride ? extra : null;
}

/**
 * Conv2DBackpropInput for stride 1: a convolution of dy by the filter flipped in space with its
 * channels swapped, padded by (k − 1)·d − pad each side. Null when a pad exceeds (k − 1)·d.
 */
export function flippedConvPads(s: ConvInputGradSpec): Pads | null {
  const [kh, kw] = s.filter as [number, number];
  const reachH = (kh - 1) * s.dilations[0];
  const reachW = (kw - 1) * s.dilations[1];
  const p = { top: reachH - s.pads.top, bottom: reachH - s.pads.bottom, left: reachW - s.pads.left, right: reachW - s.pads.right };
  const fits = s.strides[0] === 1 && s.strides[1] === 1 && Math.min(p.top, p.bottom, p.left, p.right) >= 0;
  return fits ? p : null;
}

/**
 * Conv2DBackpropInput: for stride 1 the flipped-filter convolution (flippedConvPads), which
 * onnxruntime runs faster than its transposed convolution (J2's 5×5 dx: 5.6–9 against 7–11 ms);
 * otherwise a transposed convolution of dy by the same filter.
 */
export function convInputGradModel(s: ConvInputGradSpec): Uint8Array {
  return flippedConvPads(s) ? convInputGradByFlip(s) : convInputGradByTranspose(s);
}

/** dx as the flipped-filter convolution (stride 1; see flippedConvPads). */
export function convInputGradByFlip(s: ConvInputGradSpec): Uint8Array {
  const flipPads = flippedConvPads(s);
  if (!flipPads) throw new Error('this input gradient has no flipped-convolution form (see flippedConvPads)');
  {
    return modelBytes(inputsOf(s), s.x, (b) => {
      // [kh, kw, in, out] reversed along kh and kw, then [in, out, kh, kw]: dy's out channels are this conv's input.
      const big = 1 << 30;
      const flipped = b.op('Slice', ['w', b.int64s('starts', [-1, -1]), b.int64s('ends', [-big, -big]), b.int64s('axes', [0, 1]), b.int64s('steps', [-1, -1])]);
      const conv = b.op('Conv', [perm(b, 'dy', [0, 3, 1, 2]), perm(b, flipped, [2, 3, 0, 1])], {
        dilations: { ints: s.dilations },
        pads: { ints: [flipPads.top, flipPads.left, flipPads.bottom, flipPads.right] },
      });
      return perm(b, conv, [0, 2, 3, 1]);
    });
  }
}

/** dx as a transposed convolution of dy by the same filter. */
export function convInputGradByTranspose(s: ConvInputGradSpec): Uint8Array {
  const [kh, kw] = s.filter as [number, number];
  const padH = outputPadding(s.x[1]!, s.dy[1]!, s.strides[0], kh, s.dilations[0], s.pads.top, s.pads.bottom);
  const padW = outputPadding(s.x[2]!, s.dy[2]!, s.strides[1], kw, s.dilations[1], s.pads.left, s.pads.right);
  if (padH === null || padW === null) throw new Error('this input gradient has no ConvTranspose form (see outputPadding)');
  return modelBytes(inputsOf(s), s.x, (b) => {
    // ConvTranspose's weights are [in channels of dy, out channels of dx, kh, kw].
    const conv = b.op('ConvTranspose', [perm(b, 'dy', [0, 3, 1, 2]), perm(b, 'w', [3, 2, 0, 1])], {
      strides: { ints: s.strides },
      dilations: { ints: s.dilations },
      pads: { ints: [s.pads.top, s.pads.left, s.pads.bottom, s.pads.right] },
      output_padding: { ints: [padH, padW] },
    });
    return perm(b, conv, [0, 2, 3, 1]);
  });
}

/**
 * Where along one axis the filter gradient's convolution reads x: from −padBefore, as many
 * positions as (k − 1)·d + (out − 1)·s + 1. Returns the padding after x, or, when those positions
 * end inside x, how many of x's positions to keep (no padding after then).
 */
export function filterGradExtent(inSize: number, outSize: number, stride: number, kernel: number, dilation: number, padBefore: number): { padAfter: number; keep: number } {
  const end = (kernel - 1) * dilation + (outSize - 1) * stride + 1 - padBefore;
  return end >= inSize ? { padAfter: end - inSize, keep: inSize } : { padAfter: 0, keep: end };
}

/**
 * Conv2DBackpropFilter: dW[i, j, ci, co] = Σ over n, oh, ow of x[n, oh·s + i·d − pad, …, ci]·dy[n, oh, ow, co]
 * is a convolution of x with channels and batch swapped, [ci, n, h, w], by dy as the filter,
 * [co, n, oh, ow], with stride and dilation swapped.
 */
export function convFilterGradBySwap(s: ConvFilterGradSpec): Uint8Array {
  const [kh, kw] = s.filter as [number, number];
  const rows = filterGradExtent(s.x[1]!, s.dy[1]!, s.strides[0], kh, s.dilations[0], s.pads.top);
  const cols = filterGradExtent(s.x[2]!, s.dy[2]!, s.strides[1], kw, s.dilations[1], s.pads.left);
  return modelBytes(inputsOf(s), s.filter, (b) => {
    let x = perm(b, 'x', [3, 0, 1, 2]);
    if (rows.keep < s.x[1]! || cols.keep < s.x[2]!)
      x = b.op('Slice', [x, b.int64s('starts', [0, 0]), b.int64s('ends', [rows.keep, cols.keep]), b.int64s('axes', [2, 3])]);
    const conv = b.op('Conv', [x, perm(b, 'dy', [3, 0, 1, 2])], {
      strides: { ints: s.dilations },
      dilations: { ints: s.strides },
      pads: { ints: [s.pads.top, s.pads.left, rows.padAfter, cols.padAfter] },
    });
    // [ci, co, kh, kw] → [kh, kw, ci, co]
    return perm(b, conv, [2, 3, 0, 1]);
  });
}

/** Patch matrices up to this many values (64 MB) are made whole; larger ones batch by batch. */
export const PATCHES_MAX_VALUES = 16 * 1024 * 1024;

/**
 * Conv2DBackpropFilter as one product: the patches of x, [n·oh·ow, kh·kw·ci] (one Slice of padded
 * x per tap, joined along the channels), transposed times dy, [n·oh·ow, co], is dW as
 * [kh·kw·ci, co]. Where the patches would pass PATCHES_MAX_VALUES, samples go in groups whose
 * products add up (Gemm's C).
 */
export function convFilterGradByPatches(s: ConvFilterGradSpec, maxValues = PATCHES_MAX_VALUES): Uint8Array {
  const [kh, kw, ci, co] = s.filter as [number, number, number, number];
  const [n, h, w] = s.x as [number, number, number];
  const [, oh, ow] = s.dy as [number, number, number];
  const rows = filterGradExtent(h, oh, s.strides[0], kh, s.dilations[0], s.pads.top);
  const cols = filterGradExtent(w, ow, s.strides[1], kw, s.dilations[1], s.pads.left);
  const perSample = oh * ow * kh * kw * ci;
  const group = Math.max(1, Math.min(n, Math.floor(maxValues / perSample)));
  return modelBytes(inputsOf(s), s.filter, (b) => {
    let x = 'x';
    if (rows.keep < h || cols.keep < w) x = b.op('Slice', [x, b.int64s('starts', [0, 0]), b.int64s('ends', [rows.keep, cols.keep]), b.int64s('axes', [1, 2])]);
    const padded = b.op('Pad', [x, b.int64s('pads', [0, s.pads.top, s.pads.left, 0, 0, rows.padAfter, cols.padAfter, 0])]);
    let sum: string | undefined;
    for (let first = 0; first < n; first += group) {
      const last = Math.min(n, first + group);
      const taps: string[] = [];
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++) {
          const top = i * s.dilations[0];
          const left = j * s.dilations[1];
          const starts = b.int64s('starts', [first, top, left]);
          const ends = b.int64s('ends', [last, top + (oh - 1) * s.strides[0] + 1, left + (ow - 1) * s.strides[1] + 1]);
          taps.push(b.op('Slice', [padded, starts, ends, b.int64s('axes', [0, 1, 2]), b.int64s('steps', [1, s.strides[0], s.strides[1]])]));
        }
      const patches = b.op('Reshape', [taps.length === 1 ? taps[0]! : b.op('Concat', taps, { axis: { i: 3 } }), b.int64s('shape', [(last - first) * oh * ow, kh * kw * ci])]);
      const dy = group >= n ? 'dy' : b.op('Slice', ['dy', b.int64s('starts', [first]), b.int64s('ends', [last]), b.int64s('axes', [0])]);
      const dy2 = b.op('Reshape', [dy, b.int64s('shape', [(last - first) * oh * ow, co])]);
      sum = b.op('Gemm', [patches, dy2, ...(sum ? [sum] : [])], { transA: { i: 1 } });
    }
    return b.op('Reshape', [sum!, b.int64s('shape', s.filter)]);
  });
}

/** Conv2DBackpropFilter: the patch product (measured faster on J2's and J3's shapes). */
export function convFilterGradModel(s: ConvFilterGradSpec): Uint8Array {
  return convFilterGradByPatches(s);
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** `shape` without leading 1s beyond rank 2: the same values, so they broadcast onto a 2-D product. */
function asMatrixOperand(shape: readonly number[]): number[] {
  const s = [...shape];
  while (s.length > 2 && s[0] === 1) s.shift();
  return s;
}

/**
 * BatchMatMul and _FusedMatMul: op(a)·op(b) over the last two axes, batch axes broadcast. One
 * matrix a side is a Gemm on 2-D views (it transposes as it packs, no copies); more runs MatMul.
 */
export function matMulModel(s: MatMulSpec): Uint8Array {
  const single = singleProduct(s);
  return modelBytes(inputsOf(s), single ? s.out.slice(-2) : s.out, (b) => {
    let y: string;
    if (single) {
      y = b.op('Gemm', ['a', 'b'], { transA: { i: s.transposeA ? 1 : 0 }, transB: { i: s.transposeB ? 1 : 0 } });
    } else {
      const last = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
      const a = s.transposeA ? perm(b, 'a', last(s.a.length)) : 'a';
      const bb = s.transposeB ? perm(b, 'b', last(s.b.length)) : 'b';
      y = b.op('MatMul', [a, bb]);
    }
    if (s.bias) y = b.op('Add', [y, 'bias']);
    return activate(b, y, s.activation, s.leakyAlpha);
  });
}

/** Sum over some axes (a bias gradient sums all but the channels). */
export function sumModel(s: SumSpec): Uint8Array {
  return modelBytes(inputsOf(s), s.out, (b) => b.op('ReduceSum', ['x', b.int64s('axes', s.axes)], { keepdims: { i: s.keepDims ? 1 : 0 } }));
}

/** One matrix a side (any batch axes of size 1). */
const singleProduct = (s: MatMulSpec) => size(s.a.slice(0, -2)) === 1 && size(s.b.slice(0, -2)) === 1;

/**
 * The model's inputs, in order, with the shapes it declares: onnxruntime checks the arrays it is
 * given against these, so the kernels pass each input with these dimensions (the same values).
 */
export function inputsOf(s: NativeSpec): [string, number[]][] {
  switch (s.op) {
    case 'conv2d':
      return [
        ['x', s.x],
        ['w', s.filter],
        ...(s.bias ? [['b', [s.filter[3]!]] as [string, number[]]] : []),
        ...(s.activation === 'prelu' ? [['alpha', s.alpha ?? []] as [string, number[]]] : []),
      ];
    case 'conv2dBackpropInput':
      return [
        ['dy', s.dy],
        ['w', s.filter],
      ];
    case 'conv2dBackpropFilter':
      return [
        ['x', s.x],
        ['dy', s.dy],
      ];
    case 'sum':
      return [['x', s.x]];
    case 'matMul': {
      const single = singleProduct(s);
      const operand = (shape: readonly number[]) => (single ? asMatrixOperand(shape) : [...shape]);
      return [
        ['a', single ? s.a.slice(-2) : s.a],
        ['b', single ? s.b.slice(-2) : s.b],
        ...(s.bias ? [['bias', operand(s.bias)] as [string, number[]]] : []),
        ...(s.activation === 'prelu' ? [['alpha', operand(s.alpha ?? [])] as [string, number[]]] : []),
      ];
    }
  }
}

/** The shape the model's output `y` is declared with (the same values as the kernel's output). */
export function outputOf(s: NativeSpec): number[] {
  switch (s.op) {
    case 'conv2d':
      return s.out;
    case 'conv2dBackpropInput':
      return s.x;
    case 'conv2dBackpropFilter':
      return s.filter;
    case 'matMul':
      return singleProduct(s) ? s.out.slice(-2) : s.out;
    case 'sum':
      return s.out;
  }
}

export function modelFor(spec: NativeSpec): Uint8Array {
  switch (spec.op) {
    case 'conv2d':
      return convModel(spec);
    case 'conv2dBackpropInput':
      return convInputGradModel(spec);
    case 'conv2dBackpropFilter':
      return convFilterGradModel(spec);
    case 'matMul':
      return matMulModel(spec);
    case 'sum':
      return sumModel(spec);
  }
}
