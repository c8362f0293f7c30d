import { UserError } from './errors.js';

export interface WarmupSchedule {
  startPerHour: number;
  factorPerDay: number;
  /** Epoch milliseconds of day 0. */
  startedAt: number;
}

export interface SendPaceOptions {
  globalPerHour?: number;
  perDomainPerHour?: number;
  warmup?: WarmupSchedule;
}

export type PaceLimit = 'global' | 'domain' | 'warmup';

export type PaceDecision = { ok: true } | { ok: false; retryAt: number; reason: PaceLimit };

/** Decides whether one message to a recipient domain may go now; `now` is epoch milliseconds. */
export interface SendPace {
  /** Takes a slot when every limit has one; a refusal takes nothing, so it slows no one else. */
  reserve(domain: string, now: number): PaceDecision;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MAX_PER_HOUR = 1_000_000_000;
const SWEEP_MIN = 1024;

/** A rate per hour that may change at known instants (the warm-up grows at each day boundary). */
interface Rate {
  perHourAt(time: number): number;
  changesAfter(time: number): number;
}

/**
 * A token bucket counted in 1/3,600,000ths of a token: a rate of R per hour refills R units per
 * millisecond, so with whole rates and whole milliseconds every step is exact integer arithmetic.
 */
interface Bucket {
  units: number;
  at: number;
}

/** One limit: a single shared bucket (global, warm-up) or one bucket per recipient domain. */
interface Limit {
  reason: PaceLimit;
  rate: Rate;
  keyOf(domain: string): string;
  buckets: Map<string, Bucket>;
  sweepAt: number;
}

export function createSendPace(options: SendPaceOptions = {}): SendPace {
  const limits = buildLimits(options);
  return {
    reserve(domain, now) {
      // Whole milliseconds keep the bucket arithmetic in exact integers.
      const time = Math.floor(now);
      const buckets = limits.map((limit) => bucketFor(limit, domain, time));
      const refusal = latestRefusal(limits, buckets, time);
      if (refusal) return { ok: false, ...refusal };
      for (const bucket of buckets) bucket.units -= HOUR_MS;
      return { ok: true };
    },
  };
}

/** The limit that frees up last decides, since every limit must have a token at once. */
function latestRefusal(limits: Limit[], buckets: Bucket[], time: number) {
  let refusal: { retryAt: number; reason: PaceLimit } | null = null;
  for (const [index, { reason, rate }] of limits.entries()) {
    const bucket = buckets[index]!;
    refill(bucket, rate, time);
    if (bucket.units >= HOUR_MS) continue;
    const retryAt = readyAt(bucket, rate);
    if (!refusal || retryAt > refusal.retryAt) refusal = { retryAt, reason };
  }
  return refusal;
}

function buildLimits({ globalPerHour, perDomainPerHour, warmup }: SendPaceOptions): Limit[] {
  const limits: Limit[] = [];
  const add = (reason: PaceLimit, rate: Rate, keyOf: (domain: string) => string) =>
    limits.push({ reason, rate, keyOf, buckets: new Map(), sweepAt: SWEEP_MIN });
  const shared = () => '';
  if (globalPerHour !== undefined) add('global', constantRate(globalPerHour, 'globalPerHour'), shared);
  if (warmup !== undefined) add('warmup', warmupRate(warmup), shared);
  if (perDomainPerHour !== undefined) {
    add('domain', constantRate(perDomainPerHour, 'perDomainPerHour'), (domain) => domain.toLowerCase());
  }
  return limits;
}

function bucketFor(limit: Limit, domain: string, time: number): Bucket {
  if (limit.buckets.size >= limit.sweepAt) limit.sweepAt = sweepFull(limit, time);
  const key = limit.keyOf(domain);
  let bucket = limit.buckets.get(key);
  if (!bucket) {
    bucket = { units: burstUnits(limit.rate.perHourAt(time)), at: time };
    limit.buckets.set(key, bucket);
  }
  return bucket;
}

/** Brings the bucket to `time`, piece by piece where the rate changes on the way. */
function refill(bucket: Bucket, rate: Rate, time: number): void {
  while (bucket.at < time) {
    const perHour = rate.perHourAt(bucket.at);
    const until = Math.min(time, rate.changesAfter(bucket.at));
    bucket.units = Math.min(capacity(perHour), bucket.units + (until - bucket.at) * perHour);
    bucket.at = until;
  }
}

/** The first whole millisecond at which the bucket holds one token, if nothing else takes one. */
function readyAt(bucket: Bucket, rate: Rate): number {
  let { units, at } = bucket;
  for (;;) {
    const perHour = rate.perHourAt(at);
    const ready = at + Math.ceil((HOUR_MS - units) / perHour);
    const until = rate.changesAfter(at);
    if (ready <= until) return ready;
    units += (until - at) * perHour;
    at = until;
  }
}

/** One second's worth of tokens, at least one: what a fresh bucket holds. */
function burstUnits(perHour: number): number {
  return Math.max(1, Math.floor(perHour / 3600)) * HOUR_MS;
}

/** Room for under a millisecond's refill: a fraction lost at each whole millisecond would drift. */
function capacity(perHour: number): number {
  return burstUnits(perHour) + perHour - 1;
}

/** Drops buckets that have refilled completely: a fresh bucket behaves the same. */
function sweepFull({ rate, buckets }: Limit, time: number): number {
  const full = burstUnits(rate.perHourAt(time));
  for (const [key, bucket] of buckets) {
    refill(bucket, rate, time);
    if (bucket.units >= full) buckets.delete(key);
  }
  return Math.max(SWEEP_MIN, buckets.size * 2);
}

function constantRate(perHour: number, name: string): Rate {
  requireWholeRate(perHour, name);
  return { perHourAt: () => perHour, changesAfter: () => Infinity };
}

/** Day n (whole days since startedAt) allows startPerHour × factorPerDay^n per hour. */
function warmupRate({ startPerHour, factorPerDay, startedAt }: WarmupSchedule): Rate {
  requireWholeRate(startPerHour, 'warmup.startPerHour');
  if (!Number.isFinite(factorPerDay) || factorPerDay < 1) {
    throw new UserError(`warmup.factorPerDay must be a number of at least 1, not ${factorPerDay}`);
  }
  if (!Number.isFinite(startedAt)) throw new UserError('warmup.startedAt must be a time in milliseconds');
  const start = Math.floor(startedAt);
  const day = (time: number) => Math.max(0, Math.floor((time - start) / DAY_MS));
  return {
    // The epsilon absorbs binary rounding of decimal factors: 100 × 1.1² must count as 121.
    perHourAt: (time) =>
      Math.min(MAX_PER_HOUR, Math.floor(startPerHour * factorPerDay ** day(time) * (1 + 1e-12))),
    changesAfter: (time) => start + (day(time) + 1) * DAY_MS,
  };
}

function requireWholeRate(perHour: number, name: string): void {
  if (!Number.isInteger(perHour) || perHour < 1 || perHour > MAX_PER_HOUR) {
    throw new UserError(`${name} must be a whole number of messages per hour from 1 to ${MAX_PER_HOUR}`);
  }
}
