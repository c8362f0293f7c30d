import { domainParts, toAscii } from '../domain-lookalike.js';
import type { VerdictReason } from '../verdict.js';
import { hostOf } from './lookalike-signals.js';
import type { MailLink } from './mail-facts.js';
import { reason, shown } from './reason.js';

export const LINK_WEIGHTS = {
  disguisedOfficial: 35,
  textMismatch: 20,
  rawIp: 25,
  dataUri: 25,
  scriptUri: 25,
  shortener: 10,
} as const;

/** Public URL shorteners: the real destination is hidden until clicked. */
const SHORTENERS = new Set([
  'bit.ly',
  'bitly.com',
  'tinyurl.com',
  't.co',
  'goo.gl',
  'ow.ly',
  'is.gd',
  'buff.ly',
  'rebrand.ly',
  'cutt.ly',
  'shorturl.at',
  't.ly',
  'rb.gy',
  'tiny.cc',
  'v.gd',
  'bl.ink',
  'short.io',
  's.id',
  'shorte.st',
  'adf.ly',
  'lnkd.in',
  'qrco.de',
  'x.gd',
  'urlz.fr',
  'clck.ru',
]);

const SHOWN_DOMAIN = /(?:https?:\/\/)?((?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,})(?=[/:\s?#]|$)/iu;

export interface LinkContext {
  isOfficial: (domain: string) => boolean;
  /** Click-tracking hosts of the company's sending services do not count as a mismatch. */
  isSendingService: (domain: string) => boolean;
}

/** Links whose text shows one domain but go to another, shorteners, raw IPs, data and script URIs. */
export function linkSignals(links: readonly MailLink[], context: LinkContext): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  const seen = new Set<string>();
  const add = (code: string, weight: number, sentence: string) => {
    if (seen.has(code)) return;
    seen.add(code);
    reasons.push(reason(code, weight, sentence));
  };
  for (const link of links) {
    const href = link.href.trim();
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
    if (scheme === 'data') {
      add(
        'data_uri_link',
        LINK_WEIGHTS.dataUri,
        'A link opens an embedded data: document instead of a web page.',
      );
      continue;
    }
    if (scheme === 'javascript' || scheme === 'vbscript') {
      add('script_link', LINK_WEIGHTS.scriptUri, 'A link runs script instead of opening a page.');
      continue;
    }
    const host = hostOf(href);
    if (!host) continue;
    const parts = domainParts(host.replace(/^\[|\]$/g, ''));
    if (parts.isIp || /^\d+$|^0x[0-9a-f]+$/i.test(host)) {
      add('raw_ip_link', LINK_WEIGHTS.rawIp, `A link goes to a bare IP address (${shown(host)}).`);
      continue;
    }
    if (SHORTENERS.has(parts.ascii)) {
      add(
        'shortener_link',
        LINK_WEIGHTS.shortener,
        `A link hides its destination behind the shortener ${shown(parts.ascii)}.`,
      );
    }
    const shownDomain = SHOWN_DOMAIN.exec(link.text)?.[1];
    if (!shownDomain) continue;
    const shownParts = domainParts(toAscii(shownDomain));
    if (
      !shownParts.knownSuffix ||
      shownParts.registrable === parts.registrable ||
      context.isSendingService(parts.ascii)
    )
      continue;
    if (context.isOfficial(shownParts.ascii) && !context.isOfficial(parts.ascii)) {
      add(
        'link_disguised_as_official',
        LINK_WEIGHTS.disguisedOfficial,
        `A link shows the company's domain ${shown(shownParts.ascii)} but goes to ${shown(parts.ascii)}.`,
      );
    } else if (!context.isOfficial(parts.ascii)) {
      add(
        'link_text_mismatch',
        LINK_WEIGHTS.textMismatch,
        `A link shows ${shown(shownParts.ascii)} but goes to ${shown(parts.ascii)}.`,
      );
    }
  }
  return reasons;
}
