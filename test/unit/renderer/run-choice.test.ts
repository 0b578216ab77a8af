/** Which run Evaluate and Export start with: never a hidden one; and what they say when all are hidden. */
import { describe, it, expect } from 'vitest';
import { chooseRun, noRunMessage } from '../../../renderer/src/lib/run-choice.js';

const run = (id: string, hasWeights: boolean, hidden = false) => ({ id, hasWeights, hidden });
const FALLBACK = 'Train a model first; completed runs appear here.';

describe('chooseRun', () => {
  it('starts with the newest visible run that has weights, passing over hidden and weightless ones', () => {
    const runs = [run('r4', true, true), run('r3', false), run('r2', true), run('r1', true)];
    expect(chooseRun(runs, null)).toBe('r2');
  });

  it('keeps a choice that is still visible and trained', () => {
    expect(chooseRun([run('r2', true), run('r1', true)], 'r1')).toBe('r1');
  });

  it('moves off a chosen run once it is hidden, removed or without weights', () => {
    const runs = [run('r3', true), run('r2', true, true), run('r1', false)];
    expect(chooseRun(runs, 'r2')).toBe('r3');
    expect(chooseRun(runs, 'r1')).toBe('r3');
    expect(chooseRun(runs, 'gone')).toBe('r3');
  });

  it('picks nothing when every trained run is hidden', () => {
    expect(chooseRun([run('r2', true, true), run('r1', false)], null)).toBeNull();
    expect(chooseRun([run('r2', true, true)], 'r2')).toBeNull();
  });
});

describe('noRunMessage', () => {
  it('says the runs are hidden when every trained run is', () => {
    expect(noRunMessage([run('r2', true, true), run('r1', false)], FALLBACK)).toBe('All runs are hidden — show hidden runs in Train.');
  });

  it('asks for training when no run has weights, hidden or not', () => {
    expect(noRunMessage([], FALLBACK)).toBe(FALLBACK);
    expect(noRunMessage([run('r1', false, true), run('r0', false)], FALLBACK)).toBe(FALLBACK);
  });
});
