import { holds } from './assess-obligations.js';
import { jurisdictionOf, type JurisdictionId } from './jurisdiction-of.js';
import type { CategoryCondition } from './obligation-rule.js';

/** A jurisdiction whose law, as assessed for this incident, prescribes the notice's layout. */
export interface LayoutRequirement {
  jurisdiction: JurisdictionId;
  layout: string;
  /** Who the law reaches: only these of the people located there get the layout. */
  personalData: CategoryCondition;
  citation: string;
}

/** Where a recipient is, and what was exposed of them, per person record at their address. */
export interface RecipientPlace {
  country: string | null;
  region: string | null;
  categoryMask: number;
}

export interface LayoutChoice {
  layout: string;
  jurisdiction: JurisdictionId | null;
  reason: string;
}

/**
 * The layout of one recipient's notice: the one a law prescribes when the recipient is an affected
 * person located where that law requires individual notice, else the fallback. A recipient who is
 * only an administrator of an impacted organization is no data subject there: the fallback.
 */
export function chooseNoticeLayout(
  places: readonly RecipientPlace[],
  requirements: readonly LayoutRequirement[],
  fallback: string,
): LayoutChoice {
  for (const place of places) {
    const jurisdiction = jurisdictionOf(place.country, place.region);
    const requirement = requirements.find(
      (candidate) =>
        candidate.jurisdiction === jurisdiction && holds(candidate.personalData, place.categoryMask),
    );
    if (requirement) {
      return {
        layout: requirement.layout,
        jurisdiction: requirement.jurisdiction,
        reason: `located in ${requirement.jurisdiction}, whose law requires this notice in the ${requirement.layout} layout (${requirement.citation})`,
      };
    }
  }
  return { layout: fallback, jurisdiction: null, reason: 'no law prescribes a layout for this recipient' };
}
