import type { DeliveryRecipient, DeliveryReport } from './delivery-report.js';

export type BounceOutcome =
  | { kind: 'bounced'; reason: string }
  | { kind: 'delayed'; reason: string }
  | { kind: 'ignored'; reason: string };

/**
 * What a delivery report means for the notice it reports on. A permanent failure of any recipient
 * bounces the notice: a person who may not have been told must be followed up, and one extra
 * follow-up costs less than a person never notified.
 */
export function bounceOutcome(report: DeliveryReport): BounceOutcome {
  const source = report.kind === 'dsn' ? 'from DSN' : 'from a non-standard bounce';
  const failed = report.recipients.filter((recipient) => recipient.action === 'failed');
  const permanent = failed.find((recipient) => recipient.status?.startsWith('5')) ?? failed[0];
  if (permanent) {
    // RFC 3464: `failed` means the MTA has given up, even when the last error was a 4.x.x one.
    const note = permanent.status?.startsWith('4') ? `gave up retrying, ${source}` : source;
    return { kind: 'bounced', reason: reasonOf(permanent, note) };
  }
  const delayed = report.recipients.find((recipient) => recipient.action === 'delayed');
  if (delayed) return { kind: 'delayed', reason: reasonOf(delayed, source) };
  const other = report.recipients[0];
  if (other) return { kind: 'ignored', reason: reasonOf(other, source) };
  return { kind: 'ignored', reason: `no recipient reported (${source})` };
}

function reasonOf({ status, action, diagnostic }: DeliveryRecipient, note: string): string {
  const detail =
    diagnostic === null ? null : withoutAddresses(withoutLeadingStatus(diagnostic, status)).slice(0, 300);
  return [status ?? action, detail, `(${note})`].filter(Boolean).join(' ');
}

/** `550 5.1.1 User unknown` after a status of `5.1.1` reads as `5.1.1 User unknown`. */
function withoutLeadingStatus(diagnostic: string, status: string | null): string {
  if (status === null) return diagnostic;
  const lead = new RegExp(`^\\d{3}[ -]${status.replace(/\./g, '\\.')}\\s*`);
  return diagnostic.replace(lead, '');
}

// Reasons are stored in the clear next to a sealed recipient address: keep addresses out of them.
function withoutAddresses(text: string): string {
  return text.replace(/<?[^\s<>()[\]{},;:"'`]+@[^\s<>()[\]{},;:"'`]+>?/g, '<address>');
}
