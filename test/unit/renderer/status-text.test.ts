/** The status bar's word for the live run: a paused run says Paused, not Training. */
import { describe, it, expect } from 'vitest';
import { liveRunLabel } from '../../../renderer/src/components/StatusBar/status-text.js';

describe('liveRunLabel', () => {
  it('tells running, paused and starting runs apart', () => {
    expect(liveRunLabel('running')).toBe('Training');
    expect(liveRunLabel('paused')).toBe('Paused');
    expect(liveRunLabel('queued')).toBe('Starting');
  });

  it('says nothing once the run has ended or before any began', () => {
    for (const s of ['completed', 'stopped', 'failed', null] as const) expect(liveRunLabel(s)).toBeNull();
  });
});
