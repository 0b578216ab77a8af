/** The renderer's pure helpers: stack edits and chart downsampling. */
import { describe, it, expect } from 'vitest';
import { insertLayer, moveLayer, rebuild, removeLayer, toLayers } from '../../../renderer/src/lib/stack.js';
import { downsample, niceTicks } from '../../../renderer/src/lib/downsample.js';
import { buildTemplate } from '../../../shared/templates.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { graphToStack } from '../../../shared/graph.js';

describe('layer stack edits', () => {
  const j1 = toLayers(graphToStack(buildTemplate('j1-lstm'))!);

  it('inserts after the selected layer and keeps names unique', () => {
    const g = rebuild(insertLayer(j1, 1, { type: 'Dense', name: 'dense', config: { units: 8 } }));
    expect(g.nodes.map((n) => n.type)).toEqual(['Input', 'LSTM', 'Dense', 'Dense']);
    expect(new Set(g.nodes.map((n) => n.name)).size).toBe(4);
    expect(g.edges.map((e) => [e.source, e.target])).toEqual([
      ['n1', 'n2'],
      ['n2', 'n3'],
      ['n3', 'n4'],
    ]);
  });

  it('moving the LSTM above the Input gives an invalid stack with the reason', () => {
    const g = rebuild(moveLayer(j1, 1, 0));
    const a = analyzeGraph(g);
    expect(a.valid).toBe(false);
    expect(a.problems.map((p) => p.message).join(' ')).toMatch(/Input/);
    expect(rebuild(moveLayer(j1, 0, -1))).toEqual(rebuild(j1));
  });

  it('removing the LSTM reconnects the Input to the Dense', () => {
    const g = rebuild(removeLayer(j1, 1));
    expect(g.nodes.map((n) => n.type)).toEqual(['Input', 'Dense']);
    expect(g.edges).toEqual([{ id: 'e1', source: 'n1', target: 'n2' }]);
  });
});

describe('downsample', () => {
  it('keeps short series as they are', () => {
    const pts = [1, 2, 3].map((x) => ({ x, y: x }));
    expect(downsample(pts, 10)).toEqual(pts);
  });

  it('shortens long series but keeps every spike and both ends', () => {
    const pts = Array.from({ length: 100_000 }, (_, x) => ({ x, y: x === 51_234 ? 100 : x === 77_777 ? -100 : Math.sin(x / 100) }));
    const out = downsample(pts, 500);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out[0]).toEqual(pts[0]);
    expect(out.at(-1)).toEqual(pts.at(-1));
    expect(out.some((p) => p.y === 100)).toBe(true);
    expect(out.some((p) => p.y === -100)).toBe(true);
    expect(out.every((p, i) => i === 0 || p.x > out[i - 1]!.x)).toBe(true);
  });

  it('makes round axis ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
