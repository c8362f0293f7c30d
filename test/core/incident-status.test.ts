import { describe, expect, it } from 'vitest';
import { statusTransition } from '../../src/core/incident-status.js';

const change = { reason: null, unfinishedNotices: 0 };

describe('incident status transitions', () => {
  it('moves forward through the stages without a reason', () => {
    expect(statusTransition({ ...change, from: 'triage', to: 'scoping' })).toEqual({ allowed: true });
    expect(statusTransition({ ...change, from: 'scoping', to: 'notifying' })).toEqual({ allowed: true });
    expect(statusTransition({ ...change, from: 'notifying', to: 'monitoring' })).toEqual({ allowed: true });
  });

  it('refuses to skip notifying on the way to monitoring, and says where it may go', () => {
    const decision = statusTransition({ ...change, from: 'scoping', to: 'monitoring' });
    expect(decision).toEqual({
      allowed: false,
      reason: 'scoping cannot go to monitoring (allowed: triage, notifying, closed)',
    });
  });

  it('refuses a move to the status the incident is already in', () => {
    expect(statusTransition({ ...change, from: 'triage', to: 'triage' })).toMatchObject({ allowed: false });
  });

  it('needs a reason to step back, to close and to reopen', () => {
    for (const [from, to] of [
      ['notifying', 'scoping'],
      ['triage', 'closed'],
      ['closed', 'monitoring'],
    ] as const) {
      expect(statusTransition({ ...change, from, to })).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('needs a --reason') as unknown,
      });
      expect(statusTransition({ ...change, from, to, reason: 'new dataset' })).toEqual({ allowed: true });
    }
  });

  it('does not close while notices are still waiting to be sent', () => {
    expect(
      statusTransition({ from: 'monitoring', to: 'closed', reason: 'done', unfinishedNotices: 3 }),
    ).toEqual({
      allowed: false,
      reason: '3 notices are still queued, sending or deferred; send them first',
    });
  });
});
