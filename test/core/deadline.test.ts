import { describe, expect, it } from 'vitest';
import { addBusinessDays, deadlineOf, instantOf, localIso } from '../../src/core/deadline.js';

const at = (iso: string) => new Date(iso);

describe('deadline arithmetic', () => {
  it('counts hours as elapsed time, so a daylight-saving change moves the wall clock, not the instant', () => {
    // Berlin leaves summer time on 2026-10-25: 72 h later reads one hour earlier on the clock.
    const due = deadlineOf(
      { kind: 'hours', hours: 72, text: '72 h' },
      at('2026-10-23T12:00:00Z'),
      'Europe/Berlin',
    );
    expect(due.at).toBe('2026-10-26T12:00:00.000Z');
    expect(due.local).toBe('2026-10-26T13:00:00+01:00');
  });

  it('ends calendar days at the end of the last local day, across a daylight-saving change', () => {
    // Aware 2026-10-20 03:00 Los Angeles (PDT); day 30 is 2026-11-19, after the change to PST.
    const due = deadlineOf(
      { kind: 'calendar_days', days: 30, text: '30 days' },
      at('2026-10-20T10:00:00Z'),
      'America/Los_Angeles',
    );
    expect(due.local).toBe('2026-11-19T23:59:59-08:00');
    expect(due.at).toBe('2026-11-20T07:59:59.999Z');
  });

  it('counts days from the local date of awareness, not the UTC one', () => {
    // 23:30 UTC on 2026-11-19 is already 2026-11-20 in Tokyo.
    const due = deadlineOf(
      { kind: 'calendar_days', days: 3, text: '3 days' },
      at('2026-11-19T23:30:00Z'),
      'Asia/Tokyo',
    );
    expect(due.local).toBe('2026-11-23T23:59:59+09:00');
  });

  it('skips weekends for business days in the jurisdiction’s zone', () => {
    // Friday 2026-11-20 21:00 in São Paulo (Saturday in UTC): Mon, Tue, Wed.
    const due = deadlineOf(
      { kind: 'business_days', days: 3, text: '3 business days' },
      at('2026-11-21T00:00:00Z'),
      'America/Sao_Paulo',
    );
    expect(due.local).toBe('2026-11-25T23:59:59-03:00');
    expect(addBusinessDays({ year: 2026, month: 11, day: 21 }, 1)).toEqual({
      year: 2026,
      month: 11,
      day: 23,
    });
    expect(addBusinessDays({ year: 2026, month: 11, day: 18 }, 20)).toEqual({
      year: 2026,
      month: 12,
      day: 16,
    });
  });

  it('counts business days over a weekend with a daylight-saving change', () => {
    // New York leaves daylight time on Sunday 2026-11-01; Friday + 2 business days = Tuesday, EST.
    const due = deadlineOf(
      { kind: 'business_days', days: 2, text: '2 business days' },
      at('2026-10-30T16:00:00Z'),
      'America/New_York',
    );
    expect(due.local).toBe('2026-11-03T23:59:59-05:00');
    expect(due.at).toBe('2026-11-04T04:59:59.999Z');
  });

  it('gives no date for "without undue delay", keeping the rule’s words', () => {
    expect(
      deadlineOf({ kind: 'no_date', text: 'without undue delay' }, at('2026-11-19T00:00:00Z'), 'UTC'),
    ).toEqual({
      at: null,
      local: null,
      timeZone: 'UTC',
      rule: 'without undue delay',
    });
  });

  it('finds local midnight on both sides of a spring-forward change', () => {
    expect(instantOf({ year: 2026, month: 3, day: 8 }, 'America/New_York').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(instantOf({ year: 2026, month: 3, day: 9 }, 'America/New_York').toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
    expect(localIso(at('2026-03-29T01:30:00Z'), 'Europe/London')).toBe('2026-03-29T02:30:00+01:00');
  });
});
