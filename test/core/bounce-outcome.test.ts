import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bounceOutcome } from '../../src/core/bounce-outcome.js';
import { parseDeliveryReport } from '../../src/core/delivery-report.js';
import type { DeliveryAction, DeliveryRecipient, DeliveryReport } from '../../src/core/delivery-report.js';

function parsedFixture(name: string): DeliveryReport {
  const report = parseDeliveryReport(readFileSync(new URL(`../fixtures/dsn/${name}`, import.meta.url)));
  if (report === null) throw new Error(`${name} is not a delivery report`);
  return report;
}

function report(
  recipients: Partial<DeliveryRecipient>[],
  kind: DeliveryReport['kind'] = 'dsn',
): DeliveryReport {
  return {
    originalMessageId: '<ntc_9v2k7m4q8x1a.inc_7q4k92xmab3c@notices.acme.example>',
    reference: '7Q4K-92XM-AB3C',
    recipients: recipients.map((r) => ({
      address: 'bob@example.com',
      action: 'failed',
      status: null,
      diagnostic: null,
      ...r,
    })),
    kind,
  };
}

describe('what a delivery report means for its notice', () => {
  it('bounces the notice on a permanent failure, giving the status and diagnostic as the reason', () => {
    expect(bounceOutcome(parsedFixture('postfix-user-unknown.eml'))).toEqual({
      kind: 'bounced',
      reason: '5.1.1 <address>: Recipient address rejected: User unknown in local recipient table (from DSN)',
    });
    expect(bounceOutcome(parsedFixture('m365-recipient-not-found.eml'))).toEqual({
      kind: 'bounced',
      reason: '5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup (from DSN)',
    });
  });

  it('keeps the SMTP reply when it carries a different status than the DSN', () => {
    expect(bounceOutcome(parsedFixture('exim-failed.eml'))).toEqual({
      kind: 'bounced',
      reason: '5.0.0 550 5.2.1 <address>: mailbox is disabled (from DSN)',
    });
  });

  it('keeps every recipient address out of the reason', () => {
    const outcome = bounceOutcome(
      report([
        { status: '5.1.1', diagnostic: '550 5.1.1 bob@example.com (alias of "Bob" <bob.smith@example.com>)' },
      ]),
    );
    expect(outcome.reason).toBe('5.1.1 <address> (alias of "Bob" <address>) (from DSN)');
    expect(outcome.reason).not.toContain('@');
  });

  it('reports a 4.x.x delay as delayed, not bounced', () => {
    expect(bounceOutcome(parsedFixture('postfix-delayed.eml'))).toEqual({
      kind: 'delayed',
      reason: '4.4.1 connect to mx.slow.example.net[192.0.2.44]:25: Connection timed out (from DSN)',
    });
  });

  it('bounces the notice when the MTA gave up after temporary failures (failed with 4.x.x)', () => {
    const outcome = bounceOutcome(
      report([
        { status: '4.4.1', diagnostic: 'connect to mx.example.com[192.0.2.1]:25: Connection timed out' },
      ]),
    );
    expect(outcome).toEqual({
      kind: 'bounced',
      reason:
        '4.4.1 connect to mx.example.com[192.0.2.1]:25: Connection timed out (gave up retrying, from DSN)',
    });
  });

  it('bounces a multi-recipient report on its first permanent failure, even after a delay', () => {
    expect(bounceOutcome(parsedFixture('sendmail-multi-recipient.eml'))).toEqual({
      kind: 'bounced',
      reason: '5.1.1 <address>... User unknown (from DSN)',
    });
    const delayedFirst = report([
      { action: 'delayed', status: '4.2.2' },
      { action: 'failed', status: '4.4.7' },
      { action: 'failed', status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full' },
    ]);
    expect(bounceOutcome(delayedFirst)).toEqual({ kind: 'bounced', reason: '5.2.2 Mailbox full (from DSN)' });
  });

  it.each<DeliveryAction>(['delivered', 'relayed', 'expanded'])(
    'ignores a report that the notice was %s',
    (action) => {
      expect(bounceOutcome(report([{ action, status: action === 'delivered' ? '2.0.0' : null }]))).toEqual({
        kind: 'ignored',
        reason: `${action === 'delivered' ? '2.0.0' : action} (from DSN)`,
      });
    },
  );

  it('ignores a report that names no recipient', () => {
    expect(bounceOutcome(report([]))).toEqual({
      kind: 'ignored',
      reason: 'no recipient reported (from DSN)',
    });
  });

  it('says when the reason comes from a non-standard bounce', () => {
    expect(bounceOutcome(parsedFixture('qmail-failure-notice.eml'))).toEqual({
      kind: 'bounced',
      reason: '5.1.1 Sorry, no mailbox here by that name. (#5.1.1) (from a non-standard bounce)',
    });
  });

  it('names the action when a failure comes with neither status nor diagnostic', () => {
    expect(bounceOutcome(report([{}], 'heuristic'))).toEqual({
      kind: 'bounced',
      reason: 'failed (from a non-standard bounce)',
    });
  });

  it('never puts more than the status and the diagnostic in a reason', () => {
    const recipient = fc.record({
      address: fc.option(fc.emailAddress()),
      action: fc.constantFrom<DeliveryAction>('failed', 'delayed', 'delivered', 'relayed', 'expanded'),
      status: fc.option(fc.stringMatching(/^[245]\.\d{1,3}\.\d{1,3}$/)),
      diagnostic: fc.option(
        fc
          .oneof(fc.string({ minLength: 1, maxLength: 300 }), fc.constant('a@b '.repeat(75)))
          .map((s) => s.replace(/\s+/g, ' ')),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(recipient, { maxLength: 4 }),
        fc.constantFrom('dsn', 'heuristic'),
        (recipients, kind) => {
          const { reason } = bounceOutcome({
            originalMessageId: null,
            reference: 'SECRET-REF',
            recipients,
            kind,
          });
          expect(reason).not.toMatch(/[\r\n]/);
          expect(reason).not.toContain('SECRET-REF');
          // status, a 300-character diagnostic and the longest note: `(gave up retrying, from a non-standard bounce)`
          expect(reason.length).toBeLessThanOrEqual(11 + 1 + 300 + 1 + 47);
          for (const { address } of recipients) {
            if (address !== null) expect(reason).not.toContain(address);
          }
        },
      ),
    );
  });
});
