import {
  domainParts,
  judgeDomain,
  type DomainLookalike,
  type LookalikeKind,
  type LookalikeTargets,
} from '../domain-lookalike.js';
import type { VerdictReason } from '../verdict.js';
import type { MailFacts } from './mail-facts.js';
import { reason, shown } from './reason.js';

export const LOOKALIKE_WEIGHTS = {
  from: 50,
  replyTo: 40,
  returnPath: 20,
  link: 35,
  idn: 10,
  freeHostingBrand: 10,
  freeHostingLink: 5,
} as const;

const KIND_SENTENCE: Record<LookalikeKind, string> = {
  homoglyph: 'imitates {imitates} with look-alike characters',
  typo: 'is a misspelling of {imitates}',
  other_suffix: 'uses the name {imitates} under another suffix',
  brand_embedded: 'carries {imitates} inside a domain that belongs to someone else',
};

function describe(domain: string, found: DomainLookalike): string {
  return `${shown(domain)} ${KIND_SENTENCE[found.kind].replace('{imitates}', shown(found.imitates))}`;
}

/** Domains that imitate the company's in From, Reply-To, Return-Path and links. */
export function lookalikeSignals(facts: MailFacts, targets: LookalikeTargets): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  const findings: DomainLookalike[] = [];
  const check = (domain: string, code: string, weight: number, where: string) => {
    const found = judgeDomain(domain, targets);
    if (!found) return false;
    findings.push(found);
    reasons.push(reason(code, weight, `${where} ${describe(domain, found)}.`));
    return true;
  };
  if (facts.from) check(facts.from.domain, 'lookalike_from', LOOKALIKE_WEIGHTS.from, 'The From domain');
  const replyTo = facts.replyTo.find((address) => judgeDomain(address.domain, targets));
  if (replyTo) check(replyTo.domain, 'lookalike_reply_to', LOOKALIKE_WEIGHTS.replyTo, 'The Reply-To domain');
  if (facts.returnPath) {
    const domain = facts.returnPath.slice(facts.returnPath.lastIndexOf('@') + 1);
    check(domain, 'lookalike_return_path', LOOKALIKE_WEIGHTS.returnPath, 'The envelope sender domain');
  }
  const hosts = new Set<string>();
  for (const link of facts.links) {
    const host = hostOf(link.href);
    if (host) hosts.add(host);
  }
  const lookalikeLinks: [string, DomainLookalike][] = [];
  let freeHosting: string | null = null;
  for (const host of hosts) {
    const found = judgeDomain(host, targets);
    if (found) lookalikeLinks.push([host, found]);
    else if (!freeHosting && domainParts(host).freeHosting) freeHosting = host;
  }
  const [firstLink, ...otherLinks] = lookalikeLinks;
  if (firstLink) {
    findings.push(...lookalikeLinks.map(([, found]) => found));
    const more =
      otherLinks.length > 0 ? ` ${otherLinks.length} more link domains imitate the company too.` : '';
    reasons.push(
      reason('lookalike_link', LOOKALIKE_WEIGHTS.link, `A link goes to ${describe(...firstLink)}.${more}`),
    );
  }
  if (findings.some((found) => found.idn && found.kind === 'homoglyph')) {
    reasons.push(
      reason(
        'idn_homoglyph',
        LOOKALIKE_WEIGHTS.idn,
        'An internationalized (punycode) domain mixes scripts to look like the company.',
      ),
    );
  }
  if (findings.some((found) => found.freeHosting)) {
    reasons.push(
      reason(
        'brand_on_free_hosting',
        LOOKALIKE_WEIGHTS.freeHostingBrand,
        "The company's name is used on a free hosting service.",
      ),
    );
  } else if (freeHosting) {
    reasons.push(
      reason(
        'free_hosting_link',
        LOOKALIKE_WEIGHTS.freeHostingLink,
        `A link goes to ${shown(freeHosting)} on a free hosting service.`,
      ),
    );
  }
  return reasons;
}

/** The host of an http(s) URL, lowercased; null for other schemes or unparsable URLs. */
export function hostOf(href: string): string | null {
  const match = /^\s*https?:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:\s]+)/i.exec(href);
  return match ? match[1]!.toLowerCase() : null;
}
