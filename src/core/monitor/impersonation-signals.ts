import { confusablePattern, foldHomoglyphs } from '../homoglyph-fold.js';
import type { VerdictReason } from '../verdict.js';
import type { MailFacts } from './mail-facts.js';
import { reason, shown } from './reason.js';

export const IMPERSONATION_WEIGHTS = {
  brandInDisplayName: 40,
  brandInSubject: 15,
  brandInBody: 10,
  replyToForeign: 25,
  returnPathForeign: 10,
} as const;

/** Brand names folded and compiled once per identity. */
export type BrandMatcher = (text: string) => boolean;

/** Texts longer than this are searched with look-alike classes instead of being folded whole. */
const FOLD_LIMIT = 512;

export function brandMatcher(brands: readonly string[]): BrandMatcher {
  const folded = brands
    .map((brand) => foldHomoglyphs(brand).replace(/\s+/g, ' ').trim())
    .filter((brand) => brand.length >= 2);
  if (folded.length === 0) return () => false;
  const words = (toPattern: (part: string) => string) =>
    folded.map((brand) => brand.split(' ').map(toPattern).join('[\\s._-]*')).join('|');
  const wholeWord = (alternatives: string) =>
    new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'u');
  const exact = wholeWord(words((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const lookalike = wholeWord(words(confusablePattern));
  return (text) =>
    text.length <= FOLD_LIMIT ? exact.test(foldHomoglyphs(text)) : lookalike.test(text.toLowerCase());
}

export interface ImpersonationContext {
  claimsBrand: BrandMatcher;
  /** True for the company's own sending or link domains. */
  isOfficial: (domain: string) => boolean;
  /** True for official domains and the company's sending services. */
  mayCarryEnvelope: (domain: string) => boolean;
  dmarcPass: boolean;
}

/**
 * A brand claimed where the sender is not the company: in the display name (strongest), the
 * subject or the body; replies or bounces diverted away from the company's domains.
 */
export function impersonationSignals(facts: MailFacts, context: ImpersonationContext): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  const fromDomain = facts.from?.domain ?? null;
  const fromOfficial = fromDomain !== null && context.isOfficial(fromDomain);
  const sender = fromDomain ? shown(fromDomain) : 'an unknown sender';
  let claimed = false;
  if (!fromOfficial) {
    if (facts.from && context.claimsBrand(facts.from.name)) {
      claimed = true;
      reasons.push(
        reason(
          'brand_in_display_name',
          IMPERSONATION_WEIGHTS.brandInDisplayName,
          `The sender's name claims the company's brand but the address is at ${sender}.`,
        ),
      );
    }
    if (context.claimsBrand(facts.subject)) {
      claimed = true;
      reasons.push(
        reason(
          'brand_in_subject',
          IMPERSONATION_WEIGHTS.brandInSubject,
          `The subject names the company's brand; the sender is ${sender}.`,
        ),
      );
    }
    if (context.claimsBrand(facts.text)) {
      claimed = true;
      reasons.push(
        reason(
          'brand_in_body',
          IMPERSONATION_WEIGHTS.brandInBody,
          `The body names the company's brand; the sender is ${sender}.`,
        ),
      );
    }
  }
  if (fromOfficial || claimed) {
    const foreign = facts.replyTo.find((address) => !context.isOfficial(address.domain));
    if (foreign) {
      reasons.push(
        reason(
          'reply_to_foreign',
          IMPERSONATION_WEIGHTS.replyToForeign,
          `Replies go to ${shown(foreign.domain)}, which is not one of the company's domains.`,
        ),
      );
    }
  }
  if (fromOfficial && !context.dmarcPass && facts.returnPath) {
    const domain = facts.returnPath.slice(facts.returnPath.lastIndexOf('@') + 1);
    if (domain && !context.mayCarryEnvelope(domain)) {
      reasons.push(
        reason(
          'return_path_foreign',
          IMPERSONATION_WEIGHTS.returnPathForeign,
          `The envelope sender is at ${shown(domain)}, neither the company's domain nor one of its sending services.`,
        ),
      );
    }
  }
  return reasons;
}
