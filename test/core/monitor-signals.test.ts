import { describe, expect, it } from 'vitest';
import { tinyZip } from '../../bench/monitor-corpus.js';
import { parseAuthenticationResults } from '../../src/core/authentication-results.js';
import { judgeDomain, lookalikeTargets } from '../../src/core/domain-lookalike.js';
import { editDistance } from '../../src/core/edit-distance.js';
import { foldHomoglyphs } from '../../src/core/homoglyph-fold.js';
import { attachmentSignals } from '../../src/core/monitor/attachment-signals.js';
import { linkSignals } from '../../src/core/monitor/link-signals.js';
import { NO_AUTH, type MailFacts } from '../../src/core/monitor/mail-facts.js';
import { judgeMail, prepareIdentity, verdictFor } from '../../src/core/monitor/mail-verdict.js';
import { requestSignals } from '../../src/core/monitor/request-signals.js';
import { splitMbox } from '../../src/core/monitor/split-mbox.js';
import { listZip } from '../../src/core/monitor/zip-listing.js';
import type { Identity } from '../../src/core/monitor-identity.js';

const OPENAI: Identity = {
  brands: ['OpenAI'],
  sendingDomains: ['openai.com'],
  linkDomains: ['openai.com', 'chatgpt.com'],
  sendingServices: ['sendgrid.net'],
};
const targets = lookalikeTargets(OPENAI);

function facts(overrides: Partial<MailFacts> = {}): MailFacts {
  return {
    from: { name: 'Someone', address: 'someone@example.org', domain: 'example.org' },
    fromCount: 1,
    replyTo: [],
    returnPath: null,
    to: ['dana@customer.example'],
    subject: 'Hello',
    text: 'Lunch on Friday?',
    links: [],
    attachments: [],
    auth: NO_AUTH,
    anomalies: [],
    ...overrides,
  };
}

const codes = (reasons: { code: string }[]) => reasons.map((r) => r.code);

describe('homoglyph folding and edit distance', () => {
  it('folds digits, Cyrillic and Greek look-alikes, accents and rn/vv to the same skeleton', () => {
    const skeleton = foldHomoglyphs('openai');
    for (const variant of ['0penai', 'оpenai', 'οpenaı', 'OPENAl', 'öpenai', 'ｏｐｅｎａｉ']) {
      expect(foldHomoglyphs(variant)).toBe(skeleton);
    }
    expect(foldHomoglyphs('rnicrosoft')).toBe(foldHomoglyphs('microsoft'));
  });

  it('counts a transposition as one edit and stops early past the limit', () => {
    expect(editDistance('openai', 'opeani', 2)).toBe(1);
    expect(editDistance('openai', 'openai', 1)).toBe(0);
    expect(editDistance('openai', 'something-else', 2)).toBe(3);
  });
});

describe('look-alike domains', () => {
  it.each([
    ['openai.com.secure-login.io', 'brand_embedded'],
    ['openai-support.com', 'brand_embedded'],
    ['open.ai.attacker.example', 'brand_embedded'],
    ['0penai.com', 'homoglyph'],
    ['xn--penai-9ve.com', 'homoglyph'],
    ['openai.co', 'other_suffix'],
    ['opeani.com', 'typo'],
    ['chatgtp.com', 'typo'],
  ])('flags %s as %s', (domain, kind) => {
    expect(judgeDomain(domain, targets)?.kind).toBe(kind);
  });

  it.each([
    'openai.com',
    'mail.openai.com',
    'chatgpt.com',
    'sendgrid.net',
    'github.com',
    'opera.com',
    'opentable.com',
  ])('leaves %s alone', (domain) => {
    expect(judgeDomain(domain, targets)).toBeNull();
  });

  it('notices a brand on a free hosting suffix from the public suffix list', () => {
    expect(judgeDomain('openai-login.web.app', targets)).toMatchObject({
      kind: 'brand_embedded',
      freeHosting: true,
    });
  });

  it('does not take a short brand inside a longer word for an imitation', () => {
    const acme = lookalikeTargets({
      brands: ['Acme'],
      sendingDomains: ['acme.com'],
      linkDomains: [],
      sendingServices: [],
    });
    expect(judgeDomain('pacmeals.com', acme)).toBeNull();
    expect(judgeDomain('acme-billing.com', acme)?.kind).toBe('brand_embedded');
  });
});

describe('what a message asks for', () => {
  it.each([
    ['en', 'Please confirm your password within 24 hours.', 'asks_password'],
    ['de', 'Bitte bestätigen Sie Ihr Passwort, sonst wird Ihr Konto gesperrt.', 'asks_password'],
    ['fr', 'Veuillez saisir votre mot de passe pour continuer.', 'asks_password'],
    ['es', 'Por favor confirme su contraseña hoy.', 'asks_password'],
    ['pt', 'Digite sua senha para manter o acesso.', 'asks_password'],
    ['it', 'Inserisci la tua password per sbloccare.', 'asks_password'],
    ['ru', 'Срочно подтвердите ваш пароль.', 'asks_password'],
    ['ja', 'パスワードを入力してください。', 'asks_password'],
    ['zh', '请输入您的密码。', 'asks_password'],
    ['en', 'Paste your API key into the form.', 'asks_api_key'],
    ['es', 'Envíe el código de verificación que recibió.', 'asks_mfa_code'],
    ['de', 'Bitte aktualisieren Sie Ihre Zahlungsinformationen.', 'asks_payment'],
    ['en', 'Enter your seed phrase to verify your wallet.', 'asks_wallet'],
  ])('recognizes the ask in %s: %s', (_lang, text, code) => {
    expect(codes(requestSignals('', text))).toContain(code);
  });

  it('does not count mentions without an ask, nor urgency on its own', () => {
    expect(
      requestSignals('Sale ends today', 'Urgent: 50% off, act now! Your card ending 4242 was charged.'),
    ).toEqual([]);
    expect(
      requestSignals('', 'We will never ask for your password by email. It is important to stay safe.'),
    ).toEqual([]);
  });

  it('adds urgency when something is asked for', () => {
    expect(codes(requestSignals('Act now', 'Confirm your password immediately.'))).toEqual([
      'asks_password',
      'urgency',
    ]);
  });
});

describe('links and attachments', () => {
  const context = {
    isOfficial: (d: string) => d === 'openai.com' || d.endsWith('.openai.com'),
    isSendingService: (d: string) => d.endsWith('sendgrid.net'),
  };

  it('flags text showing the official domain over a link elsewhere, shorteners, raw IPs and data URIs', () => {
    const reasons = linkSignals(
      [
        { href: 'https://login-openai.io/x', text: 'https://openai.com/login' },
        { href: 'https://bit.ly/abc', text: 'here' },
        { href: 'http://192.0.2.7/login', text: 'Sign in' },
        { href: 'data:text/html;base64,PGgxPg==', text: 'Open' },
      ],
      context,
    );
    expect(codes(reasons).sort()).toEqual([
      'data_uri_link',
      'link_disguised_as_official',
      'raw_ip_link',
      'shortener_link',
    ]);
  });

  it('lets the sending service track clicks and ignores text that only looks like a file name', () => {
    const reasons = linkSignals(
      [
        { href: 'https://u1.ct.sendgrid.net/ls/click?x', text: 'https://openai.com/blog' },
        { href: 'https://openai.com/files/1', text: 'report.pdf' },
      ],
      context,
    );
    expect(reasons).toEqual([]);
  });

  it('finds programs inside nested archives, macros, disk images and HTML pages', () => {
    const nested = tinyZip(['inner.zip'], tinyZip(['deeper.zip'], tinyZip(['payload.exe'])));
    const listing = listZip(nested);
    expect(listing.entries.map((e) => [e.name, e.depth])).toEqual([
      ['inner.zip', 1],
      ['deeper.zip', 2],
      ['payload.exe', 3],
    ]);
    const attachment = (filename: string, extra = {}) => ({
      filename,
      contentType: 'application/octet-stream',
      size: 10,
      entries: [],
      archive: 'none' as const,
      macros: false,
      ...extra,
    });
    const reasons = attachmentSignals([
      attachment('docs.zip', { entries: listing.entries, archive: listing.status }),
      attachment('statement.iso'),
      attachment('contract.docm'),
      attachment('invoice.html'),
    ]);
    expect(codes(reasons).sort()).toEqual([
      'archive_attachment',
      'disk_image_attachment',
      'executable_attachment',
      'html_attachment',
      'macro_attachment',
    ]);
  });

  it('stops opening archives past the nesting limit and says so', () => {
    let zip = tinyZip(['last.exe']);
    for (let i = 0; i < 5; i++) zip = tinyZip([`level${i}.zip`], zip);
    expect(listZip(zip).status).toBe('too_deep');
    expect(listZip(Buffer.from('PK\u0003\u0004 not really a zip at all, no directory')).status).toBe(
      'unreadable',
    );
  });
});

describe('the verdict', () => {
  const prepared = prepareIdentity(OPENAI);

  it('calls a brand in the display name from a look-alike domain asking for a password phishing', () => {
    const verdict = judgeMail(
      facts({
        from: { name: 'OpenAI Billing', address: 'billing@openai-billing.com', domain: 'openai-billing.com' },
        subject: 'Your OpenAI account is on hold',
        text: 'Please confirm your password to restore access.',
        links: [{ href: 'https://openai.com.secure-login.io/x', text: 'Restore access' }],
      }),
      prepared,
    );
    expect(verdict.verdict).toBe('phishing');
    expect(codes(verdict.reasons)).toEqual(
      expect.arrayContaining(['lookalike_from', 'brand_in_display_name', 'asks_password', 'lookalike_link']),
    );
    for (const reason of verdict.reasons) expect(reason.sentence).not.toMatch(/confirm your password/i);
  });

  it('calls a From on the official domain that fails DMARC a spoof', () => {
    const verdict = judgeMail(
      facts({
        from: { name: 'OpenAI', address: 'security@openai.com', domain: 'openai.com' },
        auth: { ...NO_AUTH, dmarc: { result: 'fail', policy: 'reject', source: 'verified' } },
        text: 'Confirm your password.',
      }),
      prepared,
    );
    expect(verdict.verdict).toBe('phishing');
    expect(codes(verdict.reasons)).toContain('spoofed_official_sender');
  });

  it('clears authenticated company mail that asks to reset a password', () => {
    const verdict = judgeMail(
      facts({
        from: { name: 'OpenAI', address: 'noreply@openai.com', domain: 'openai.com' },
        auth: {
          ...NO_AUTH,
          dkim: [
            {
              result: 'pass',
              domain: 'openai.com',
              aligned: true,
              bodyLengthLimited: false,
              unsignedBytes: 0,
              source: 'verified',
            },
          ],
          dmarc: { result: 'pass', policy: 'reject', source: 'verified' },
        },
        subject: 'Reset your OpenAI password',
        text: 'Enter a new password on the page we link to.',
        links: [{ href: 'https://openai.com/reset', text: 'Reset' }],
      }),
      prepared,
    );
    expect(verdict.verdict).toBe('clean');
  });

  it('leaves ordinary third-party mail clean', () => {
    expect(judgeMail(facts(), prepared)).toEqual({ verdict: 'clean', score: 0, reasons: [] });
  });

  it('maps scores to verdicts at the documented thresholds', () => {
    expect([verdictFor(29), verdictFor(30), verdictFor(59), verdictFor(60)]).toEqual([
      'clean',
      'suspicious',
      'suspicious',
      'phishing',
    ]);
  });
});

describe('Authentication-Results and mbox', () => {
  it('reads methods, results and properties, skipping comments', () => {
    const parsed = parseAuthenticationResults(
      ' mx.google.com;\r\n dkim=pass (2048-bit key) header.i=@github.com;\r\n spf=pass (google.com: ok) smtp.mailfrom=a@b.com;\r\n dmarc=fail (p=REJECT) header.from=x.com',
    );
    expect(parsed).toEqual({
      authservId: 'mx.google.com',
      results: [
        { method: 'dkim', result: 'pass', props: { 'header.i': '@github.com' } },
        { method: 'spf', result: 'pass', props: { 'smtp.mailfrom': 'a@b.com' } },
        { method: 'dmarc', result: 'fail', props: { 'header.from': 'x.com' } },
      ],
    });
  });

  it('splits an mbox on From lines and undoes mboxrd quoting', () => {
    const mbox = Buffer.from(
      [
        'From a@example.org Mon Jan  1 00:00:00 2024',
        'Subject: one',
        '',
        '>From the start of a line',
        '>>From quoted twice',
        '',
        'From b@example.org Mon Jan  1 00:00:01 2024',
        'Subject: two',
        '',
        'body',
        '',
      ].join('\n'),
    );
    const messages = splitMbox(mbox);
    expect(messages.map((m) => m.line)).toEqual([1, 7]);
    expect(messages[0]!.raw.toString()).toBe(
      'Subject: one\n\nFrom the start of a line\n>From quoted twice\n\n',
    );
    expect(messages[1]!.raw.toString()).toBe('Subject: two\n\nbody\n');
  });
});
