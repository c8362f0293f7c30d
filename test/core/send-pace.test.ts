import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { createSendPace, type SendPace, type SendPaceOptions } from '../../src/core/send-pace.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = '2025-11-27T00:00:00Z';

function handClock(start = START) {
  const clock = fixedClock(start);
  const now = () => clock.now().getTime();
  return { now, moveTo: (time: number) => clock.advance(time - now()) };
}

/** Sends as fast as the pace allows, waiting for each retryAt; returns the send times. */
function sendGreedily(pace: SendPace, clock: ReturnType<typeof handClock>, domain: string, until: number) {
  const times: number[] = [];
  while (clock.now() < until) {
    const decision = pace.reserve(domain, clock.now());
    if (decision.ok) times.push(clock.now());
    else clock.moveTo(decision.retryAt);
  }
  return times;
}

const within = (times: number[], from: number, to: number) => times.filter((t) => t >= from && t < to).length;

describe('the send pace', () => {
  it('sends at most the global rate in any hour, and exactly it once the burst is spent', () => {
    const clock = handClock();
    const t0 = clock.now();
    const times = sendGreedily(createSendPace({ globalPerHour: 7200 }), clock, 'example.org', t0 + 3 * HOUR);
    expect(within(times, t0, t0 + HOUR)).toBe(7200 + 1); // one second's burst: 2 at once
    expect(within(times, t0 + HOUR, t0 + 2 * HOUR)).toBe(7200);
    expect(within(times, t0 + 2 * HOUR, t0 + 3 * HOUR)).toBe(7200);
    expect(within(times, t0, t0 + 1)).toBe(2);
  });

  it('lets any domain through when only a global rate is set', () => {
    const clock = handClock();
    const pace = createSendPace({ globalPerHour: 3600 });
    expect(pace.reserve('gmail.com', clock.now())).toEqual({ ok: true });
    expect(pace.reserve('example.org', clock.now())).toEqual({
      ok: false,
      retryAt: clock.now() + SECOND,
      reason: 'global',
    });
  });

  it('does not slow example.org while gmail.com is throttled', () => {
    const clock = handClock();
    const t0 = clock.now();
    const pace = createSendPace({ globalPerHour: 100_000, perDomainPerHour: 600 });
    const sent = { 'gmail.com': 0, 'example.org': 0 };
    for (let time = t0; time < t0 + HOUR; time += SECOND) {
      clock.moveTo(time);
      for (let i = 0; i < 50; i += 1) if (pace.reserve('gmail.com', time).ok) sent['gmail.com'] += 1;
      if (time % (6 * SECOND) === 0 && pace.reserve('example.org', time).ok) sent['example.org'] += 1;
    }
    expect(sent).toEqual({ 'gmail.com': 600, 'example.org': 600 });
    expect(pace.reserve('GMAIL.com', clock.now())).toMatchObject({ ok: false, reason: 'domain' });
  });

  it('compares domains case-insensitively and takes IDN domains as given', () => {
    const clock = handClock();
    const pace = createSendPace({ perDomainPerHour: 60 });
    expect(pace.reserve('Bücher.DE', clock.now()).ok).toBe(true);
    expect(pace.reserve('bücher.de', clock.now())).toMatchObject({ ok: false, reason: 'domain' });
    expect(pace.reserve('BÜCHER.DE', clock.now())).toMatchObject({ ok: false, reason: 'domain' });
    expect(pace.reserve('xn--bcher-kva.de', clock.now()).ok).toBe(true);
  });

  it('grows the warm-up ceiling by the factor for each whole day since it started', () => {
    const clock = handClock();
    const startedAt = clock.now();
    const pace = createSendPace({ warmup: { startPerHour: 100, factorPerDay: 2, startedAt } });
    const perHour = [0, 1, 2, 3].map((day) => {
      clock.moveTo(startedAt + day * DAY + 12 * HOUR);
      const from = clock.now() + HOUR;
      return within(sendGreedily(pace, clock, 'example.org', from + HOUR), from, from + HOUR);
    });
    expect(perHour).toEqual([100, 200, 400, 800]);
  });

  it('applies the warm-up on top of the global rate, naming whichever holds a send back', () => {
    const clock = handClock();
    const startedAt = clock.now();
    const pace = createSendPace({
      globalPerHour: 3600,
      warmup: { startPerHour: 360, factorPerDay: 10, startedAt },
    });
    expect(pace.reserve('a.example', clock.now()).ok).toBe(true);
    expect(pace.reserve('a.example', clock.now())).toEqual({
      ok: false,
      retryAt: clock.now() + 10 * SECOND,
      reason: 'warmup',
    });
    clock.moveTo(startedAt + DAY);
    expect(pace.reserve('a.example', clock.now()).ok).toBe(true);
    expect(pace.reserve('a.example', clock.now())).toMatchObject({
      retryAt: clock.now() + SECOND,
      reason: 'global',
    });
  });

  it('answers a retryAt past a day boundary at the next day’s faster warm-up rate', () => {
    const clock = handClock();
    const startedAt = clock.now();
    const pace = createSendPace({ warmup: { startPerHour: 1, factorPerDay: 10, startedAt } });
    clock.moveTo(startedAt + DAY - 30 * MINUTE);
    expect(pace.reserve('a.example', clock.now()).ok).toBe(true);
    // 30 minutes refill half a token at 1/h; the other half takes 3 minutes at 10/h.
    const refusal = pace.reserve('a.example', clock.now());
    expect(refusal).toEqual({ ok: false, retryAt: startedAt + DAY + 3 * MINUTE, reason: 'warmup' });
    expect(pace.reserve('a.example', startedAt + DAY + 3 * MINUTE - 1).ok).toBe(false);
    expect(pace.reserve('a.example', startedAt + DAY + 3 * MINUTE).ok).toBe(true);
  });

  it('gives a retryAt that is the first millisecond a reservation succeeds', () => {
    const options = fc.record({
      globalPerHour: fc.option(fc.integer({ min: 1, max: 2_000_000 }), { nil: undefined }),
      perDomainPerHour: fc.option(fc.integer({ min: 1, max: 2_000_000 }), { nil: undefined }),
      warmup: fc.option(
        fc.record({
          startPerHour: fc.integer({ min: 1, max: 100_000 }),
          factorPerDay: fc.double({ min: 1, max: 4, noNaN: true }),
          startedAt: fc.integer({ min: -3 * DAY, max: 3 * DAY }),
        }),
        { nil: undefined },
      ),
    });
    const steps = fc.array(fc.tuple(fc.constantFrom('a.example', 'b.example'), fc.nat(HOUR)), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(options, steps, (paceOptions: SendPaceOptions, moves) => {
        const pace = createSendPace(paceOptions);
        let time = 0;
        for (const [domain, wait] of moves) {
          time += wait % 3 === 0 ? 0 : wait;
          const decision = pace.reserve(domain, time);
          if (decision.ok) continue;
          expect(decision.retryAt).toBeGreaterThan(time);
          expect(pace.reserve(domain, decision.retryAt - 1)).toEqual(decision);
          time = decision.retryAt;
          expect(pace.reserve(domain, time)).toEqual({ ok: true });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('takes nothing on a refusal, so a throttled domain costs the others no global capacity', () => {
    const clock = handClock();
    const t0 = clock.now();
    const pace = createSendPace({ globalPerHour: 3600, perDomainPerHour: 60 });
    let otherSent = 0;
    for (let time = t0; time < t0 + HOUR; time += 100) {
      clock.moveTo(time);
      for (let i = 0; i < 20; i += 1) pace.reserve('gmail.com', time);
      if (pace.reserve(`d${time}.example`, time).ok) otherSent += 1;
    }
    expect(otherSent).toBe(3600 - 60);
  });

  it('lets every queued domain finish at its own pace behind a large one (no starvation)', () => {
    const clock = handClock();
    const t0 = clock.now();
    const pace = createSendPace({ globalPerHour: 3600, perDomainPerHour: 600 });
    const queue: Queued[] = [
      ...Array.from({ length: 1000 }, () => ({ domain: 'gmail.com', notBefore: t0, sentAt: null })),
      ...['example.org', 'example.net', 'example.com'].flatMap((domain) =>
        Array.from({ length: 20 }, () => ({ domain, notBefore: t0, sentAt: null })),
      ),
    ];
    runQueue(pace, clock, queue);
    const finished = (domain: string) =>
      Math.max(...queue.filter((m) => m.domain === domain).map((m) => m.sentAt ?? Infinity));
    expect(queue.every((m) => m.sentAt !== null)).toBe(true);
    for (const domain of ['example.org', 'example.net', 'example.com']) {
      expect(finished(domain) - t0).toBeLessThanOrEqual(20 * 6 * SECOND);
    }
    expect(finished('gmail.com') - t0).toBe(999 * 6 * SECOND);
  });

  it('keeps exact time over 100,000 reservations at a rate that does not divide an hour', () => {
    const clock = handClock();
    const t0 = clock.now();
    const pace = createSendPace({ globalPerHour: 7000 });
    let sent = 0;
    let last = t0;
    while (sent < 100_000) {
      const decision = pace.reserve('example.org', clock.now());
      if (!decision.ok) {
        clock.moveTo(decision.retryAt);
        continue;
      }
      sent += 1;
      last = clock.now();
    }
    // Send n (from 0) is due at n × 3,600,000 / 7,000 ms; rounding each wait would lose up to 1 ms a send.
    expect(last - t0).toBe(Math.ceil((99_999 * HOUR) / 7000));
    expect(last - t0).toBe(51_428_058);
  });

  it('forgets idle domains without forgetting a throttled one', () => {
    const clock = handClock();
    const pace = createSendPace({ perDomainPerHour: 60 });
    for (let i = 0; i < 3000; i += 1) {
      clock.moveTo(clock.now() + MINUTE);
      expect(pace.reserve(`d${i}.example`, clock.now()).ok).toBe(true);
      expect(pace.reserve('gmail.com', clock.now()).ok).toBe(true);
      expect(pace.reserve('gmail.com', clock.now())).toMatchObject({ retryAt: clock.now() + MINUTE });
    }
  });

  it('refuses rates that are not whole messages per hour and a shrinking warm-up', () => {
    expect(() => createSendPace({ globalPerHour: 0 })).toThrow(/globalPerHour must be a whole number/);
    expect(() => createSendPace({ perDomainPerHour: 1.5 })).toThrow(/perDomainPerHour/);
    expect(() => createSendPace({ warmup: { startPerHour: 100, factorPerDay: 0.5, startedAt: 0 } })).toThrow(
      /factorPerDay must be a number of at least 1/,
    );
    expect(() => createSendPace({ warmup: { startPerHour: 100, factorPerDay: 2, startedAt: NaN } })).toThrow(
      /startedAt/,
    );
  });
});

interface Queued {
  domain: string;
  notBefore: number;
  sentAt: number | null;
}

/** A worker loop: send what is due in queue order; park a domain on its refusal, wait on any other. */
function runQueue(pace: SendPace, clock: ReturnType<typeof handClock>, queue: Queued[]) {
  for (;;) {
    const pending = queue.filter((m) => m.sentAt === null);
    if (pending.length === 0) return;
    const due = pending.find((m) => m.notBefore <= clock.now());
    if (!due) {
      clock.moveTo(Math.min(...pending.map((m) => m.notBefore)));
      continue;
    }
    const decision = pace.reserve(due.domain, clock.now());
    if (decision.ok) due.sentAt = clock.now();
    else if (decision.reason === 'domain') {
      for (const m of pending) if (m.domain === due.domain) m.notBefore = decision.retryAt;
    } else clock.moveTo(decision.retryAt);
  }
}
