/**
 * `--repeat N`: a journey measured N times in turn, Layerbench then PyTorch each time, summarised
 * by medians. On a shared machine either side's figure moves by more than an engine change
 * between two runs minutes apart (PyTorch's J2 went from 566 to 927 samples/s), so a single run's
 * ratio says little; the ratio of the medians, and the spread of the per-run ratios, say more.
 */

export interface RepeatRun {
  samples_per_s: number;
  peer_samples_per_s: number | null;
  ratio: number | null;
}

export interface RepeatSummary {
  journey: string;
  repeat: number;
  samples_per_s: { median: number; min: number; max: number };
  peer_samples_per_s: { median: number; min: number; max: number } | null;
  /** median(Layerbench) / median(PyTorch). */
  ratio_of_medians: number | null;
  ratio: { min: number; max: number } | null;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const spread = (v: number[]) => ({ median: median(v), min: Math.min(...v), max: Math.max(...v) });
const round3 = (v: number) => Number(v.toFixed(3));

export function summariseRepeats(journey: string, runs: readonly RepeatRun[]): RepeatSummary {
  if (runs.length === 0) throw new RangeError('summariseRepeats needs at least one run');
  const ours = spread(runs.map((r) => r.samples_per_s));
  const peers = runs.map((r) => r.peer_samples_per_s).filter((v): v is number => v !== null);
  const ratios = runs.map((r) => r.ratio).filter((v): v is number => v !== null);
  const peer = peers.length === runs.length ? spread(peers) : null;
  return {
    journey,
    repeat: runs.length,
    samples_per_s: ours,
    peer_samples_per_s: peer,
    ratio_of_medians: peer ? round3(ours.median / peer.median) : null,
    ratio: peer ? { min: round3(Math.min(...ratios)), max: round3(Math.max(...ratios)) } : null,
  };
}
