import { describe, expect, it } from 'vitest';
import { median, summariseRepeats } from '../../bench/repeat.js';

describe('bench --repeat summary', () => {
  it('takes the median of each side and the ratio of the medians, with the per-run spread', () => {
    // The four J2 runs of 2026-12-02: a single run's ratio ranged 0.43–0.70.
    const s = summariseRepeats('j2', [
      { samples_per_s: 395, peer_samples_per_s: 927, ratio: 0.426 },
      { samples_per_s: 436, peer_samples_per_s: 627, ratio: 0.695 },
      { samples_per_s: 410, peer_samples_per_s: 854, ratio: 0.48 },
    ]);
    expect(s.samples_per_s).toEqual({ median: 410, min: 395, max: 436 });
    expect(s.peer_samples_per_s).toEqual({ median: 854, min: 627, max: 927 });
    expect(s.ratio_of_medians).toBe(0.48);
    expect(s.ratio).toEqual({ min: 0.426, max: 0.695 });
  });

  it('gives no ratio when a run had no peer', () => {
    const s = summariseRepeats('j1', [
      { samples_per_s: 100, peer_samples_per_s: null, ratio: null },
      { samples_per_s: 120, peer_samples_per_s: 150, ratio: 0.8 },
    ]);
    expect(s.samples_per_s.median).toBe(110);
    expect(s.peer_samples_per_s).toBeNull();
    expect(s.ratio_of_medians).toBeNull();
  });

  it('medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
