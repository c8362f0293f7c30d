import type { VerdictReason } from '../verdict.js';
import type { AuthFacts, AuthSource } from './mail-facts.js';
import { reason, shown } from './reason.js';

export const AUTH_WEIGHTS = {
  spoofedOfficialSender: 60,
  unauthenticatedOfficialSender: 45,
  dmarcFailEnforced: 25,
  dmarcFail: 10,
  dmarcFailArcPass: 5,
  dkimFail: 10,
  dkimBodyLength: 10,
  dkimAppended: 20,
  spfFail: 5,
  arcFail: 5,
  officialUnverified: 10,
  officialAuthenticated: -30,
  officialAuthenticatedByReceiver: 0,
} as const;

/**
 * SPF, DKIM, DMARC and ARC. Authentication matters most for the company's own domains: a From
 * on an official domain that does not pass DMARC is a spoof; one that passes is real company mail.
 */
export function authSignals(
  auth: AuthFacts,
  fromDomain: string | null,
  fromOfficial: boolean,
): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  const from = fromDomain ? shown(fromDomain) : 'the sender';
  const dmarc = auth.dmarc;
  const alignedDkimPass = auth.dkim.some((sig) => sig.result === 'pass' && sig.aligned);
  const dmarcPass = dmarc.result === 'pass' || (dmarc.result === 'none' && alignedDkimPass);
  if (fromOfficial && dmarcPass) {
    reasons.push(
      dmarc.source === 'verified'
        ? reason(
            'official_sender_authenticated',
            AUTH_WEIGHTS.officialAuthenticated,
            `Mail from the company's domain ${from} passed authentication.`,
          )
        : reason(
            'official_sender_authenticated',
            AUTH_WEIGHTS.officialAuthenticatedByReceiver,
            `The receiving server reported that mail from the company's domain ${from} passed DMARC; that header cannot be checked here, so it neither adds nor removes suspicion.`,
          ),
    );
  } else if (fromOfficial && dmarc.result === 'fail') {
    reasons.push(
      reason(
        'spoofed_official_sender',
        AUTH_WEIGHTS.spoofedOfficialSender,
        `The From address uses the company's domain ${from} but fails DMARC${by(dmarc.source)}: someone else sent it.`,
      ),
    );
  } else if (fromOfficial && dmarc.result === 'temperror') {
    reasons.push(
      reason(
        'official_sender_unverified',
        AUTH_WEIGHTS.officialUnverified,
        `Mail from the company's domain ${from} could not be verified: DNS did not answer.`,
      ),
    );
  } else if (fromOfficial) {
    reasons.push(
      reason(
        'unauthenticated_official_sender',
        AUTH_WEIGHTS.unauthenticatedOfficialSender,
        `The From address uses the company's domain ${from} but no aligned signature or SPF pass vouches for it.`,
      ),
    );
  } else if (dmarc.result === 'fail') {
    const enforced = dmarc.policy === 'reject' || dmarc.policy === 'quarantine';
    const forwarded = auth.arc.result === 'pass';
    const weight = forwarded
      ? AUTH_WEIGHTS.dmarcFailArcPass
      : enforced
        ? AUTH_WEIGHTS.dmarcFailEnforced
        : AUTH_WEIGHTS.dmarcFail;
    const note = forwarded ? ' (an intact ARC chain suggests a forwarder or list changed it)' : '';
    reasons.push(reason('dmarc_fail', weight, `${from} fails DMARC${by(dmarc.source)}${note}.`));
  }
  if (!dmarcPass) {
    const failed = auth.dkim.find((sig) => sig.result === 'fail');
    if (failed) {
      reasons.push(
        reason(
          'dkim_fail',
          AUTH_WEIGHTS.dkimFail,
          `The DKIM signature of ${shown(failed.domain)} does not verify${by(failed.source)}.`,
        ),
      );
    }
    if (auth.spf.result === 'fail') {
      reasons.push(
        reason(
          'spf_fail',
          AUTH_WEIGHTS.spfFail,
          `SPF fails for ${shown(auth.spf.domain ?? 'the envelope sender')}${by(auth.spf.source)}.`,
        ),
      );
    }
    if (auth.arc.result === 'fail') {
      reasons.push(
        reason('arc_fail', AUTH_WEIGHTS.arcFail, `The ARC chain is broken${by(auth.arc.source)}.`),
      );
    }
  }
  const limited = auth.dkim.find((sig) => sig.result === 'pass' && sig.bodyLengthLimited);
  if (limited) {
    reasons.push(
      limited.unsignedBytes > 0
        ? reason(
            'dkim_body_appended',
            AUTH_WEIGHTS.dkimAppended,
            `The DKIM signature of ${shown(limited.domain)} covers only part of the body (l=) and ${limited.unsignedBytes} bytes follow unsigned.`,
          )
        : reason(
            'dkim_body_length',
            AUTH_WEIGHTS.dkimBodyLength,
            `The DKIM signature of ${shown(limited.domain)} uses l=, so text could be appended without breaking it.`,
          ),
    );
  }
  return reasons;
}

function by(source: AuthSource): string {
  return source === 'receiver' ? ' (as reported by the receiving server)' : '';
}
