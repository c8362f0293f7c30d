import type { Category } from './categories.js';
import { jurisdictionOf, type JurisdictionId } from './jurisdiction-of.js';

/**
 * How much harm one person suffers when a category of theirs leaks, 1 to 10. The reasoning per
 * weight is in docs/vendor-risk.md; the highest are what lets an attacker act as the person or
 * cannot be changed after a leak.
 */
export const CATEGORY_SENSITIVITY: Readonly<Record<Category, number>> = {
  identifier: 1,
  device: 1,
  referrer: 1,
  usage: 2,
  location: 2,
  ip_address: 2,
  name: 2,
  email: 3,
  phone: 3,
  address: 4,
  birth_date: 4,
  precise_location: 5,
  content: 6,
  payment: 9,
  credentials: 10,
  api_key: 10,
  government_id: 10,
  health: 10,
};

export type RiskTier = 'high' | 'medium' | 'low';

/** Score thresholds: at or above `high` is high risk, at or above `medium` medium, else low. */
export const RISK_THRESHOLDS = { high: 50_000, medium: 2_000 } as const;

/** Months between security reviews per tier. */
export const REVIEW_CADENCE_MONTHS: Readonly<Record<RiskTier, number>> = { high: 6, medium: 12, low: 24 };

export interface VendorRisk {
  /** Sum of the sensitivity weights of the categories the vendor receives. */
  sensitivity: number;
  people: number;
  /** sensitivity × people. */
  score: number;
  tier: RiskTier;
  cadenceMonths: number;
  reason: string;
}

/** A vendor's risk from what it receives and for how many people, with the arithmetic as the reason. */
export function vendorRisk(categories: readonly Category[], people: number): VendorRisk {
  const sensitivity = categories.reduce((sum, category) => sum + CATEGORY_SENSITIVITY[category], 0);
  const score = sensitivity * people;
  const tier: RiskTier =
    score >= RISK_THRESHOLDS.high ? 'high' : score >= RISK_THRESHOLDS.medium ? 'medium' : 'low';
  const weights = categories.map((category) => `${category} ${CATEGORY_SENSITIVITY[category]}`).join(' + ');
  const threshold =
    tier === 'low'
      ? `< ${RISK_THRESHOLDS.medium.toLocaleString('en')}`
      : `≥ ${RISK_THRESHOLDS[tier].toLocaleString('en')}`;
  return {
    sensitivity,
    people,
    score,
    tier,
    cadenceMonths: REVIEW_CADENCE_MONTHS[tier],
    reason: `sensitivity ${sensitivity} (${weights || 'no categories'}) × ${people} people = ${score}, ${threshold}: ${tier}`,
  };
}

/** People sharing a place, as the database grouped them. */
export interface PlaceCount {
  country: string | null;
  region: string | null;
  people: number;
}

export type JurisdictionCount = { jurisdiction: JurisdictionId | 'unknown'; people: number };

/** People per jurisdiction, most first; a place no breach law in the table covers counts as `unknown`. */
export function peopleByJurisdiction(places: readonly PlaceCount[]): JurisdictionCount[] {
  const totals = new Map<JurisdictionId | 'unknown', number>();
  for (const place of places) {
    const jurisdiction = jurisdictionOf(place.country, place.region) ?? 'unknown';
    totals.set(jurisdiction, (totals.get(jurisdiction) ?? 0) + place.people);
  }
  return [...totals]
    .map(([jurisdiction, people]) => ({ jurisdiction, people }))
    .sort((a, b) => b.people - a.people || a.jurisdiction.localeCompare(b.jurisdiction));
}

/** The next review date: the last one plus the cadence, in calendar months (UTC). */
export function nextReviewDue(lastReviewedAt: string, cadenceMonths: number): string {
  const date = new Date(lastReviewedAt);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + cadenceMonths);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  // 31 August + 6 months is 28 (or 29) February, not 3 March.
  date.setUTCDate(Math.min(day, lastDay));
  return date.toISOString();
}
