import { isOwnDomain, lookalikeTargets, type LookalikeTargets } from '../domain-lookalike.js';
import { isWithin, officialDomains, type Identity } from '../monitor-identity.js';
import type { Verdict, VerdictName, VerdictReason } from '../verdict.js';
import { attachmentSignals } from './attachment-signals.js';
import { authSignals } from './auth-signals.js';
import { brandMatcher, impersonationSignals, type BrandMatcher } from './impersonation-signals.js';
import { linkSignals } from './link-signals.js';
import { lookalikeSignals } from './lookalike-signals.js';
import type { MailFacts } from './mail-facts.js';
import { reason } from './reason.js';
import { requestSignals } from './request-signals.js';

/** Scores at or above these make the verdict (see docs/monitor.md for why). */
export const THRESHOLDS = { phishing: 60, suspicious: 30 } as const;

export const STRUCTURE_WEIGHTS = { noFrom: 15, multipleFrom: 20, truncated: 5, invalidEncoding: 5 } as const;

/** An identity prepared once for many messages: folded brands, lookalike targets. */
export interface PreparedIdentity {
  identity: Identity;
  targets: LookalikeTargets;
  claimsBrand: BrandMatcher;
  official: string[];
}

export function prepareIdentity(identity: Identity): PreparedIdentity {
  return {
    identity,
    targets: lookalikeTargets(identity),
    claimsBrand: brandMatcher(identity.brands),
    official: officialDomains(identity),
  };
}

/** The verdict on one message: every signal family's reasons, summed, against the thresholds. */
export function judgeMail(facts: MailFacts, prepared: PreparedIdentity): Verdict {
  const isOfficial = (domain: string) => isWithin(domain, prepared.official);
  const isSendingService = (domain: string) => isWithin(domain, prepared.identity.sendingServices);
  const fromDomain = facts.from?.domain ?? null;
  const fromOfficial = fromDomain !== null && isOfficial(fromDomain);
  const auth = authSignals(facts.auth, fromDomain, fromOfficial);
  const reasons: VerdictReason[] = [
    ...structureSignals(facts),
    ...auth,
    ...impersonationSignals(facts, {
      claimsBrand: prepared.claimsBrand,
      isOfficial,
      mayCarryEnvelope: (domain) => isOwnDomain(domain, prepared.targets),
      dmarcPass: auth.some((r) => r.code === 'official_sender_authenticated'),
    }),
    ...lookalikeSignals(facts, prepared.targets),
    ...requestSignals(facts.subject, facts.text),
    ...linkSignals(facts.links, { isOfficial, isSendingService }),
    ...attachmentSignals(facts.attachments),
  ];
  return combine(reasons);
}

export function combine(reasons: VerdictReason[]): Verdict {
  const score = Math.max(
    0,
    reasons.reduce((sum, r) => sum + r.weight, 0),
  );
  return { verdict: verdictFor(score), score, reasons: [...reasons].sort((a, b) => b.weight - a.weight) };
}

export function verdictFor(score: number): VerdictName {
  if (score >= THRESHOLDS.phishing) return 'phishing';
  if (score >= THRESHOLDS.suspicious) return 'suspicious';
  return 'clean';
}

function structureSignals(facts: MailFacts): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  if (facts.fromCount === 0)
    reasons.push(reason('no_from', STRUCTURE_WEIGHTS.noFrom, 'The message has no usable From address.'));
  if (facts.fromCount > 1) {
    reasons.push(
      reason(
        'multiple_from',
        STRUCTURE_WEIGHTS.multipleFrom,
        'The message names several From addresses; mail clients show only one.',
      ),
    );
  }
  const truncated = facts.anomalies.filter((a) => a.endsWith('_truncated'));
  if (truncated.length > 0) {
    reasons.push(
      reason(
        'oversized',
        STRUCTURE_WEIGHTS.truncated,
        `The message is larger than is checked (${truncated.map((a) => a.replace('_truncated', '')).join(', ')}); only the first part was read.`,
      ),
    );
  }
  if (facts.anomalies.includes('invalid_encoding')) {
    reasons.push(
      reason(
        'invalid_encoding',
        STRUCTURE_WEIGHTS.invalidEncoding,
        'Part of the message could not be decoded.',
      ),
    );
  }
  return reasons;
}
