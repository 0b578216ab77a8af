/**
 * `npm run bench -- graph [--nodes 50,200,400] [--iterations N] [--json]`
 * How long the graph editor's per-edit work takes on large graphs: shape inference and
 * validation (analyzeGraph), one whole edit cycle as the editor runs it (setParam → history push
 * → analyzeGraph), and the auto-layout. The quality bar: under 16 ms (one frame) at 200 nodes.
 */
import os from 'node:os';
import type { GraphEdge, GraphNode, ModelGraph } from '../shared/graph.js';
import { snakeCase } from '../shared/graph.js';
import { analyzeGraph } from '../shared/catalog/analyze.js';
import { getLayerSpec } from '../shared/catalog/index.js';
import { setParam } from '../shared/graph-edit/edit.js';
import { GraphHistory } from '../shared/graph-edit/history.js';
import { layoutGraph } from '../shared/graph-edit/layout.js';

/** One frame at 60 Hz: the budget for re-analysing the graph after an edit. */
export const FRAME_MS = 16;
export const DEFAULT_SIZES = [50, 200, 400];
export const DEFAULT_ITERATIONS = 200;
/** Untimed calls first, so V8 has optimized the code: at least this many, for at least WARMUP_MS. */
const WARMUP = 30;
const WARMUP_MS = 150;

export type GraphOp = 'analyze' | 'edit' | 'layout';

export interface GraphMeasurement {
  bench: 'graph';
  nodes: number;
  edges: number;
  op: GraphOp;
  iterations: number;
  median_ms: number;
  p95_ms: number;
  max_ms: number;
  /** null: no per-edit budget applies (auto-layout runs on request, not on every edit). */
  target_ms: number | null;
  /** p95 within the target; null when there is none. */
  ok: boolean | null;
  params: number;
  flops_per_sample: number;
  machine: { cpus: number; cpu: string; node: string; platform: string };
}

export interface GraphBenchOptions {
  sizes?: number[];
  iterations?: number;
  json?: boolean;
}

// ---- Graphs --------------------------------------------------------------------------------

/** Appends layers the way the editor names them (conv2d, conv2d_2, ...) with ids n1, n2, .... */
class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private readonly used = new Map<string, number>();

  add(type: string, config: GraphNode['config'], inputs: string[] = []): string {
    if (!getLayerSpec(type)) throw new Error(`graph bench: '${type}' is not in the catalog`);
    const base = snakeCase(type);
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    const id = `n${this.nodes.length + 1}`;
    this.nodes.push({ id, type, name: n === 1 ? base : `${base}_${n}`, config, position: { x: 0, y: 0 } });
    inputs.forEach((source, port) =>
      this.edges.push({ id: `e${this.edges.length + 1}`, source, target: id, ...(inputs.length > 1 ? { targetPort: port } : {}) }),
    );
    return id;
  }

  graph(): ModelGraph {
    return { version: 1, nodes: this.nodes, edges: this.edges };
  }
}

const conv = (filters: number, kernel: number) => ({ filters, kernel_size: [kernel, kernel], padding: 'same' });

/**
 * A two-input model of exactly `size` layers: an image trunk of repeated blocks (residual
 * Conv2D/BatchNormalization/Activation blocks with Add, inception-style blocks of parallel
 * convolutions joined by Concatenate, MaxPooling2D downsampling) beside a recurrent branch
 * (LSTM → Dropout → GRU → Dense), merged by Concatenate into a Dense head. Also returns the id of
 * a head Dense, the layer the edit cycle changes.
 */
export function benchGraph(size: number): { graph: ModelGraph; editId: string } {
  const HEAD = 5; // GlobalAveragePooling2D, Concatenate, Dense, Dropout, Dense(1)
  const FIXED = 4 + 5 + HEAD; // image stem with its Input, recurrent branch with its Input, head
  if (size < FIXED) throw new Error(`graph bench: a graph needs at least ${FIXED} layers; asked for ${size}`);
  const b = new GraphBuilder();

  // Image trunk.
  const image = b.add('Input', { shape: [64, 64, 3] });
  let channels = 16;
  let x = b.add('Conv2D', conv(channels, 3), [image]);
  x = b.add('BatchNormalization', {}, [x]);
  x = b.add('Activation', { activation: 'relu' }, [x]);

  // Recurrent branch.
  const series = b.add('Input', { shape: [24, 8] });
  let s = b.add('LSTM', { units: 32, return_sequences: true }, [series]);
  s = b.add('Dropout', { rate: 0.2 }, [s]);
  s = b.add('GRU', { units: 32 }, [s]);
  s = b.add('Dense', { units: 32, activation: 'relu' }, [s]);

  const residual = (input: string): string => {
    let y = b.add('Conv2D', conv(channels, 3), [input]);
    y = b.add('BatchNormalization', {}, [y]);
    y = b.add('Activation', { activation: 'relu' }, [y]);
    y = b.add('Conv2D', conv(channels, 3), [y]);
    y = b.add('BatchNormalization', {}, [y]);
    y = b.add('Add', {}, [input, y]);
    return b.add('Activation', { activation: 'relu' }, [y]);
  };
  const inception = (input: string): string => {
    const quarter = Math.max(4, channels / 4);
    const a = b.add('Conv2D', { ...conv(quarter, 1), activation: 'relu' }, [input]);
    let c = b.add('Conv2D', { ...conv(quarter, 1), activation: 'relu' }, [input]);
    c = b.add('Conv2D', { ...conv(quarter, 3), activation: 'relu' }, [c]);
    let d = b.add('Conv2D', { ...conv(quarter, 1), activation: 'relu' }, [input]);
    d = b.add('Conv2D', { ...conv(quarter, 5), activation: 'relu' }, [d]);
    let p = b.add('MaxPooling2D', { pool_size: [3, 3], strides: [1, 1], padding: 'same' }, [input]);
    p = b.add('Conv2D', { ...conv(quarter, 1), activation: 'relu' }, [p]);
    const joined = b.add('Concatenate', { axis: -1 }, [a, c, d, p]);
    let y = b.add('Conv2D', conv(channels, 1), [joined]);
    y = b.add('BatchNormalization', {}, [y]);
    return b.add('Activation', { activation: 'relu' }, [y]);
  };
  const downsample = (input: string): string => {
    channels = Math.min(128, channels * 2);
    let y = b.add('MaxPooling2D', { pool_size: [2, 2] }, [input]);
    y = b.add('Conv2D', conv(channels, 3), [y]);
    y = b.add('BatchNormalization', {}, [y]);
    return b.add('Activation', { activation: 'relu' }, [y]);
  };
  const blocks = [
    { size: 7, add: residual },
    { size: 11, add: inception },
    { size: 7, add: residual },
    { size: 4, add: downsample },
  ];
  let downsamples = 0;
  for (let i = 0; ; i++) {
    let block = blocks[i % blocks.length]!;
    // 64×64 halves four times at most; after that the trunk keeps going at 4×4.
    if (block.add === downsample && downsamples >= 4) block = blocks[0]!;
    if (b.nodes.length + block.size + HEAD > size) break;
    if (block.add === downsample) downsamples++;
    x = block.add(x);
  }

  // Head; the layers the blocks left over become Dense/Dropout pairs before the output.
  x = b.add('GlobalAveragePooling2D', {}, [x]);
  let h = b.add('Concatenate', {}, [x, s]);
  const editId = b.add('Dense', { units: 64, activation: 'relu' }, [h]);
  h = b.add('Dropout', { rate: 0.3 }, [editId]);
  for (let i = 0; b.nodes.length < size - 1; i++) h = b.add(i % 2 === 0 ? 'Dense' : 'Dropout', i % 2 === 0 ? { units: 64, activation: 'relu' } : { rate: 0.1 }, [h]);
  b.add('Dense', { units: 1 }, [h]);

  const graph = layoutGraph(b.graph());
  if (graph.nodes.length !== size) throw new Error(`graph bench: built ${graph.nodes.length} layers, wanted ${size}`);
  return { graph, editId };
}

/** Fails loudly: a benchmark of an invalid graph would time the early exits, not the real path. */
function assertValid(graph: ModelGraph, what: string): ReturnType<typeof analyzeGraph> {
  const a = analyzeGraph(graph);
  if (!a.valid) {
    const list = a.problems.slice(0, 5).map((p) => `  - ${p.message}`).join('\n');
    throw new Error(`graph bench: the ${what} is not valid (${a.problems.length} problems):\n${list}`);
  }
  const unshaped = graph.nodes.filter((n) => !a.nodes[n.id]?.outputShape);
  if (unshaped.length > 0) throw new Error(`graph bench: the ${what} has layers without an output shape: ${unshaped.map((n) => n.name).join(', ')}`);
  return a;
}

// ---- Timing --------------------------------------------------------------------------------

interface Stats {
  median: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles of per-call times in ms. */
function stats(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}

/** Warms `fn(i)` up untimed (WARMUP calls and WARMUP_MS at least), then times `iterations` calls one by one. */
function time(iterations: number, fn: (i: number) => void): Stats {
  let i = 0;
  const start = performance.now();
  while (i < WARMUP || (performance.now() - start < WARMUP_MS && i < 20 * WARMUP)) fn(i++);
  const times: number[] = [];
  for (let k = 0; k < iterations; k++) {
    const t0 = performance.now();
    fn(i++);
    times.push(performance.now() - t0);
  }
  return stats(times);
}

const round = (ms: number) => Number(ms.toFixed(3));

// ---- The benchmark -------------------------------------------------------------------------

function machine(): GraphMeasurement['machine'] {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', node: process.version, platform: `${os.platform()} ${os.arch()}` };
}

export function measureGraph(size: number, iterations: number): GraphMeasurement[] {
  const { graph, editId } = benchGraph(size);
  const analysis = assertValid(graph, `${size}-layer bench graph`);
  const row = (op: GraphOp, runs: number, st: Stats, target: number | null): GraphMeasurement => ({
    bench: 'graph',
    nodes: size,
    edges: graph.edges.length,
    op,
    iterations: runs,
    median_ms: round(st.median),
    p95_ms: round(st.p95),
    max_ms: round(st.max),
    target_ms: target,
    ok: target === null ? null : st.p95 <= target,
    params: analysis.totalParams,
    flops_per_sample: analysis.flopsPerSample,
    machine: machine(),
  });

  // Keeps results alive so the calls cannot be optimized away.
  let sink = 0;
  const analyze = time(iterations, () => {
    sink += analyzeGraph(graph).totalParams;
  });

  // The editor's cycle for typing a value into a parameter field: a pure edit, the undo
  // history's snapshot (coalesced, as keystrokes in one field are), then the analysis it shows.
  let current = graph;
  const history = new GraphHistory(graph);
  const invalid: number[] = [];
  const edit = time(iterations, (i) => {
    const e = setParam(current, editId, 'units', 64 + (i % 64) + 1);
    history.push(e.graph, e.label, e.coalesceKey !== undefined ? { coalesceKey: e.coalesceKey } : {});
    current = e.graph;
    const a = analyzeGraph(current);
    if (!a.valid) invalid.push(i);
    sink += a.totalParams;
  });
  if (invalid.length > 0) throw new Error(`graph bench: ${invalid.length} edit cycles at ${size} layers left the graph invalid`);
  assertValid(history.current, `${size}-layer graph after the edits (from the history)`);

  const layoutIterations = Math.max(10, Math.round(iterations / 4));
  const layout = time(layoutIterations, () => {
    sink += layoutGraph(graph).nodes.length;
  });
  if (!Number.isFinite(sink)) throw new Error('graph bench: unreachable');

  return [row('analyze', iterations, analyze, FRAME_MS), row('edit', iterations, edit, FRAME_MS), row('layout', layoutIterations, layout, null)];
}

const OP_LABEL: Record<GraphOp, string> = {
  analyze: 'analyzeGraph',
  edit: 'edit cycle (setParam + history + analyze)',
  layout: 'layoutGraph (auto-layout)',
};

export function runGraphBench(options: GraphBenchOptions = {}): GraphMeasurement[] {
  const sizes = options.sizes ?? DEFAULT_SIZES;
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  for (const n of sizes) if (!Number.isInteger(n) || n < 1) throw new Error(`graph bench: --nodes wants positive integers; got ${n}`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`graph bench: --iterations wants a positive integer; got ${iterations}`);
  const results: GraphMeasurement[] = [];
  for (const size of sizes) {
    const rows = measureGraph(size, iterations);
    results.push(...rows);
    if (options.json) for (const r of rows) console.log(JSON.stringify(r));
  }
  if (!options.json) console.log(formatTable(results));
  return results;
}

export function formatTable(results: GraphMeasurement[]): string {
  const header = ['layers', 'edges', 'operation', 'runs', 'median ms', 'p95 ms', 'max ms', 'target'];
  const rows = results.map((r) => [
    String(r.nodes),
    String(r.edges),
    OP_LABEL[r.op],
    String(r.iterations),
    r.median_ms.toFixed(3),
    r.p95_ms.toFixed(3),
    r.max_ms.toFixed(3),
    r.target_ms === null ? '—' : `${r.ok ? 'ok' : 'OVER'} (p95 ≤ ${r.target_ms} ms)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = new Set([0, 1, 3, 4, 5, 6]);
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const sizes = [...new Map(results.map((r) => [r.nodes, r])).values()]
    .map((r) => `  ${r.nodes} layers: ${r.params.toLocaleString('en-US')} parameters, ${(r.flops_per_sample / 1e9).toFixed(2)} GFLOPs per sample`)
    .join('\n');
  const m = results[0]?.machine;
  return [
    'Graph editor: shape inference + validation per edit (two-input conv/residual/inception + LSTM/GRU graphs, all valid)',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    sizes,
    m ? `  machine: ${m.cpus}× ${m.cpu}, Node ${m.node}` : '',
  ].join('\n');
}
