import type { DeadlineSpec } from './obligation-rule.js';

/** A deadline worked out from a rule: the instant, when the rule gives one, and the rule's words. */
export interface Deadline {
  /** ISO-8601 UTC instant; null for "without undue delay" and the like. */
  at: string | null;
  /** The same instant as a local time with offset in the zone the days were counted in. */
  local: string | null;
  timeZone: string;
  /** The rule's words, e.g. "within 72 hours of awareness". */
  rule: string;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** When a duty is due, counted from the awareness instant in the given IANA time zone. */
export function deadlineOf(spec: DeadlineSpec, awareAt: Date, timeZone: string): Deadline {
  const at = dueInstant(spec, awareAt, timeZone);
  return {
    at: at === null ? null : at.toISOString(),
    local: at === null ? null : localIso(at, timeZone),
    timeZone,
    rule: spec.text,
  };
}

function dueInstant(spec: DeadlineSpec, awareAt: Date, timeZone: string): Date | null {
  switch (spec.kind) {
    case 'hours':
      // Elapsed hours: a daylight-saving change on the way does not move the instant.
      return new Date(awareAt.getTime() + spec.hours * HOUR);
    case 'calendar_days':
      return endOfDay(addDays(localDateOf(awareAt, timeZone), spec.days), timeZone);
    case 'business_days':
      return endOfDay(addBusinessDays(localDateOf(awareAt, timeZone), spec.days), timeZone);
    case 'no_date':
      return null;
  }
}

/** The last millisecond of a local day, as an instant. */
function endOfDay(date: LocalDate, timeZone: string): Date {
  const next = addDays(date, 1);
  return new Date(instantOf(next, timeZone).getTime() - 1);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/**
 * The day `days` business days after `date` (which itself does not count). Saturdays and Sundays
 * are skipped; public holidays are not, so the day is never later than the legal one.
 */
export function addBusinessDays(date: LocalDate, days: number): LocalDate {
  let current = date;
  let left = days;
  while (left > 0) {
    current = addDays(current, 1);
    const weekday = new Date(Date.UTC(current.year, current.month - 1, current.day)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return current;
}

/** The calendar date of an instant in a time zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = partsOf(instant, timeZone);
  return { year, month, day };
}

/** Local midnight of a date in a time zone, as an instant (via the zone's offset, by Intl only). */
export function instantOf(date: LocalDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const guess = wall - offsetOf(new Date(wall), timeZone);
  // A daylight-saving change between the guess and the wall time changes the offset: one more step.
  return new Date(wall - offsetOf(new Date(guess), timeZone));
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetOf(instant: Date, timeZone: string): number {
  const p = partsOf(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** `2026-11-24T23:59:59-03:00`: an instant as the zone's wall clock with its offset. */
export function localIso(instant: Date, timeZone: string): string {
  const p = partsOf(instant, timeZone);
  const offsetMinutes = Math.round(offsetOf(instant, timeZone) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Whether Intl knows the zone. */
export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

function partsOf(instant: Date, timeZone: string) {
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year ?? 0,
    month: values.month ?? 1,
    day: values.day ?? 1,
    hour: values.hour ?? 0,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
  };
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
