import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { startMailSink } from '../../src/adapters/mail-sink.js';
import { createSecretBox } from '../../src/adapters/secret-box.js';
import { createSmtpSender } from '../../src/adapters/smtp-sender.js';
import { startSmtpListener, type SmtpListenerOptions } from '../../src/adapters/smtp-listener.js';
import type { Verdict } from '../../src/core/verdict.js';
import type { Judge } from '../../src/services/inbound.service.js';
import { testDialects } from '../support/databases.js';
import { deliveryReport } from '../support/delivery-report.js';
import { createTestApp, openTestIncident, profiles, TEST_KEY, type TestApp } from '../support/test-app.js';
import { operator } from '../../src/services/caller.js';

const MARKER = 'LEAKED-MARKER-7f3a9c';

/** A deterministic stand-in for the scanner: the judged message names its own verdict. */
function headerJudge(calls: Buffer[] = []): Judge {
  return (raw) => {
    calls.push(raw);
    const text = raw.toString('latin1');
    if (text.includes('X-Test-Throw:')) return Promise.reject(new Error('scanner bug'));
    const verdict = /X-Test-Verdict: (\w+)/.exec(text)?.[1] ?? 'clean';
    const result: Verdict = {
      verdict: verdict as Verdict['verdict'],
      score: verdict === 'phishing' ? 0.9 : 0.1,
      reasons: [{ code: `test_${verdict}`, sentence: `The test says ${verdict}.`, weight: 1 }],
    };
    return Promise.resolve(result);
  };
}

function original(to: string, verdict: string, extra = ''): string {
  return [
    `From: "Helpdesk" <helpdesk@acme-support.test>`,
    `To: ${to}`,
    `Subject: Password expires ${MARKER}`,
    `X-Test-Verdict: ${verdict}`,
    `Message-ID: <${to}.${verdict}.${extra}@acme-support.test>`,
    '',
    `Log in now. ${MARKER}`,
    '',
  ].join('\r\n');
}

function forward(reporter: string, attached: string, note = 'Is this real?'): Buffer {
  return Buffer.from(
    [
      `From: <${reporter}>`,
      'To: phishing@acme.test',
      'Subject: Fwd: Password expires',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain',
      '',
      note,
      '--outer',
      'Content-Type: message/rfc822',
      '',
      attached,
      '--outer--',
      '',
    ].join('\r\n'),
  );
}

type Send = (raw: Buffer | string) => Promise<{ response: string }>;

/** The real listener on a free loopback port, storing into the app, and a nodemailer client to it. */
async function withListener<T>(
  app: TestApp,
  work: (send: Send, port: number) => Promise<T>,
  options: Partial<SmtpListenerOptions> = {},
): Promise<T> {
  const listener = await startSmtpListener({
    port: 0,
    onMessage: async (raw, envelope) => {
      const received = await app.inbound.receive(raw, envelope);
      return `${received.duplicate ? 'already stored' : 'stored'} as ${received.id}`;
    },
    ...options,
  });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, ignoreTLS: true });
  const send: Send = (raw) =>
    transport.sendMail({ envelope: { from: 'reporter@acme.test', to: ['phishing@acme.test'] }, raw });
  try {
    return await work(send, listener.port);
  } finally {
    transport.close();
    await listener.close();
  }
}

/** A bare SMTP conversation, for what a well-behaved client never does. */
function rawSession(port: number, lines: string[], { hangUp = false } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let transcript = '';
    socket.on('data', (data) => {
      transcript += data.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(transcript));
    socket.once('data', () => {
      for (const line of lines) socket.write(line);
      if (hangUp) socket.destroy();
      else socket.write('QUIT\r\n');
    });
  });
}

async function inboundRows(app: TestApp) {
  return app.store.db.selectFrom('inbound_message').selectAll().orderBy('received_at').execute();
}

describe.each(testDialects())('inbound mail on %s', (dialect) => {
  it('stores a forwarded phish received over SMTP, judged by its attached original and sealed', async () => {
    const calls: Buffer[] = [];
    const app = await createTestApp(dialect, { judge: headerJudge(calls) });
    const phish = original('"Ann" <ann@acme.test>', 'phishing');
    const raw = forward('carol@acme.test', phish);
    const info = await withListener(app, (send) => send(raw));
    expect(info.response).toMatch(/^250 2\.0\.0 stored as inm_/);
    expect(calls.map((call) => call.toString('latin1'))).toEqual([phish]);
    const [entry] = await app.inbound.inbox({});
    expect(entry).toMatchObject({
      kind: 'report',
      verdict: 'phishing',
      score: 0.9,
      recipients: 1,
      addressedBy: 'original',
      fromDomain: 'acme-support.test',
      duplicates: 0,
      sizeBytes: raw.length,
      reasons: [{ code: 'test_phishing' }],
    });
    expect(entry).not.toHaveProperty('subject');
    const box = createSecretBox(Buffer.from(TEST_KEY, 'hex'));
    const [row] = await inboundRows(app);
    expect(Buffer.from(box.open(row!.raw_sealed!), 'latin1').equals(raw)).toBe(true);
    expect(box.open(row!.subject_sealed!)).toBe(`Password expires ${MARKER}`);
    const [recipient] = await app.store.db.selectFrom('inbound_recipient').selectAll().execute();
    expect(recipient).toMatchObject({
      recipient_key: box.hash('ann@acme.test'),
      recipient_domain: 'acme.test',
    });
    const withSubjects = await app.inbound.inbox({ subjects: true });
    expect(withSubjects[0]?.subject).toBe(`Password expires ${MARKER}`);
  });

  it('keeps no plaintext of the message anywhere in the database', async () => {
    const app = await createTestApp(dialect, { judge: headerJudge() });
    await withListener(app, async (send) => {
      await send(forward('carol@acme.test', original('ann@acme.test', 'phishing')));
      await send(`From: x@evil.test\r\nTo: trap@acme.test\r\nSubject: ${MARKER}\r\n\r\n${MARKER}\r\n`);
    });
    const tables = ['inbound_message', 'inbound_recipient', 'audit_entry'] as const;
    for (const table of tables) {
      const rows = await app.store.db.selectFrom(table).selectAll().execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(MARKER);
      expect(JSON.stringify(rows)).not.toContain('ann@acme.test');
    }
    if (dialect === 'sqlite') {
      const location = app.config.db;
      const files = readdirSync(dirname(location)).filter((name) => name.startsWith('test.db'));
      for (const file of files) {
        const bytes = readFileSync(join(dirname(location), file));
        expect(bytes.includes(MARKER), file).toBe(false);
        expect(bytes.includes('ann@acme.test'), file).toBe(false);
      }
    }
  });

  it('counts the same bytes arriving again instead of storing or judging them twice', async () => {
    const calls: Buffer[] = [];
    const app = await createTestApp(dialect, { judge: headerJudge(calls) });
    const raw = forward('carol@acme.test', original('ann@acme.test', 'phishing'));
    const responses = await withListener(app, async (send) => {
      const first = await send(raw);
      app.clock.advance(60_000);
      const second = await send(raw);
      const third = await send(raw);
      return [first, second, third].map((info) => info.response);
    });
    expect(responses[1]).toMatch(/already stored as inm_/);
    expect(calls).toHaveLength(1);
    const rows = await inboundRows(app);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      duplicate_count: 2,
      received_at: '2026-11-20T09:00:00.000Z',
      last_seen_at: '2026-11-20T09:01:00.000Z',
    });
    expect(await app.store.db.selectFrom('inbound_recipient').selectAll().execute()).toHaveLength(1);
  });

  it('hands a DSN for a sent notice to bounce handling, which marks the notice bounced, unjudged', async () => {
    const calls: Buffer[] = [];
    const app = await createTestApp(dialect, { judge: headerJudge(calls) });
    const id = await sentIncident(app);
    const [notice] = await app.store.db
      .selectFrom('notice')
      .select(['id', 'message_id'])
      .where('incident_id', '=', id)
      .execute();
    const info = await withListener(app, (send) => send(dsn(notice!.message_id)));
    expect(info.response).toMatch(/stored as inm_/);
    expect(calls).toHaveLength(0);
    const status = await app.notices.status(id, operator('tester'));
    expect(status).toMatchObject({ bounced: 1 });
    const [entry] = await app.inbound.inbox({ kind: 'dsn' });
    expect(entry).toMatchObject({ kind: 'dsn', verdict: null, bounce: 'bounced', recipients: 0 });
    const audit = await app.store.db.selectFrom('audit_entry').select(['action', 'incident_id']).execute();
    expect(audit).toContainEqual({ action: 'notices.bounce', incident_id: id });
  });

  it('judges a bounce-shaped message that reports on none of our notices', async () => {
    const calls: Buffer[] = [];
    const app = await createTestApp(dialect, { judge: headerJudge(calls) });
    await withListener(app, (send) => send(dsn('<not-ours@elsewhere.test>')));
    expect(calls).toHaveLength(1);
    const [entry] = await app.inbound.inbox({});
    expect(entry).toMatchObject({ kind: 'report', verdict: 'clean', bounce: null });
  });

  it('stores each distinct message once when many clients send at the same time', async () => {
    const calls: Buffer[] = [];
    const app = await createTestApp(dialect, { judge: headerJudge(calls) });
    const messages = [0, 1, 2, 3, 4].map((i) =>
      forward(`r${i}@acme.test`, original(`p${i}@acme.test`, 'phishing')),
    );
    await withListener(app, async (_send, port) => {
      const transports = [0, 1, 2, 3].map(() =>
        nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }),
      );
      await Promise.all(
        transports.flatMap((transport) =>
          messages.map((raw) =>
            transport.sendMail({ envelope: { from: 'r@acme.test', to: ['phishing@acme.test'] }, raw }),
          ),
        ),
      );
      for (const transport of transports) transport.close();
    });
    const rows = await inboundRows(app);
    expect(rows).toHaveLength(5);
    expect(rows.map((row) => Number(row.duplicate_count)).sort()).toEqual([3, 3, 3, 3, 3]);
    expect(await app.store.db.selectFrom('inbound_recipient').selectAll().execute()).toHaveLength(5);
  });

  it('tells a client over the connection limit to come back later', async () => {
    const app = await createTestApp(dialect, { judge: headerJudge() });
    await withListener(
      app,
      async (_send, port) => {
        const first = connect(port, '127.0.0.1');
        await new Promise((resolve) => first.once('data', resolve));
        const second = await rawSession(port, []);
        first.destroy();
        expect(second).toMatch(/^421 .*Too many connected clients/);
      },
      { maxClients: 1 },
    );
  });

  it('refuses a message over the size limit with a clear 552 and keeps serving', async () => {
    const app = await createTestApp(dialect, { judge: headerJudge() });
    const huge = `From: a@evil.test\r\nTo: b@acme.test\r\nSubject: big\r\n\r\n${'x'.repeat(76).concat('\r\n').repeat(2000)}`;
    await withListener(
      app,
      async (send, port) => {
        await expect(send(huge)).rejects.toMatchObject({
          responseCode: 552,
          response: expect.stringMatching(
            /^552 5\.3\.4 message too big: the limit is 65536 bytes/,
          ) as unknown,
        });
        // Without a SIZE declaration the limit still holds, at the end of DATA.
        const transcript = await rawSession(port, [
          'EHLO client.test\r\n',
          'MAIL FROM:<a@evil.test>\r\n',
          'RCPT TO:<phishing@acme.test>\r\n',
          'DATA\r\n',
          `${huge}\r\n.\r\n`,
        ]);
        expect(transcript).toMatch(/\r\n552 5\.3\.4 /);
        expect((await send('From: a@b.test\r\nTo: c@acme.test\r\n\r\nsmall\r\n')).response).toMatch(/^250/);
      },
      { maxBytes: 64 * 1024 },
    );
    expect(await inboundRows(app)).toHaveLength(1);
  });

  it('stores malformed MIME and a message the scanner fails on, and survives a client hanging up mid-DATA', async () => {
    const app = await createTestApp(dialect, { judge: headerJudge() });
    await withListener(app, async (send, port) => {
      await send(
        'Content-Type: multipart/mixed; boundary="never"\r\nFrom: <<<@@@>>>\r\n\r\n--never\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%not base64\r\n',
      );
      await send('X-Test-Throw: yes\r\nFrom: a@evil.test\r\n\r\nboom\r\n');
      await send(
        Buffer.concat([Buffer.from('Subject: '), Buffer.alloc(3000, 0xfe), Buffer.from('\r\n\r\n')]),
      );
      const transcript = await rawSession(
        port,
        [
          'EHLO c.test\r\n',
          'MAIL FROM:<a@evil.test>\r\n',
          'RCPT TO:<p@acme.test>\r\n',
          'DATA\r\n',
          'Subject: half\r\n\r\nhal',
        ],
        { hangUp: true },
      );
      expect(transcript).toMatch(/^220 /);
      expect((await send('From: a@b.test\r\n\r\nstill here\r\n')).response).toMatch(/^250/);
    });
    const entries = await app.inbound.inbox({});
    expect(entries).toHaveLength(4);
    expect(entries.find((entry) => entry.verdict === null)?.reasons).toEqual([
      { code: 'judge_failed', sentence: 'The scanner failed on this message.', weight: 0 },
    ]);
  });

  it('judges reports with the built-in scanner when no other judge is given', async () => {
    const app = await createTestApp(dialect);
    const received = await app.inbound.receive(
      forward('carol@acme.test', original('ann@acme.test', 'phishing')),
      {
        mailFrom: null,
        rcptTo: ['phishing@acme.test'],
      },
    );
    expect(received).toMatchObject({ kind: 'report', recipients: 1 });
    expect(['phishing', 'suspicious', 'clean']).toContain(received.verdict);
    const reasons = (await app.inbound.inbox({}))[0]?.reasons ?? [];
    expect(reasons.map((reason) => reason.code)).not.toContain('not_judged');
  });

  it('purges old bodies for good and keeps what misuse needs', async () => {
    const app = await createTestApp(dialect, { judge: headerJudge() });
    const old = forward('a@acme.test', original('a@acme.test', 'phishing'));
    await app.inbound.receive(old, { mailFrom: null, rcptTo: [] });
    app.clock.advance(2 * 24 * 3600_000);
    await app.inbound.receive(forward('b@acme.test', original('b@acme.test', 'phishing')), {
      mailFrom: null,
      rcptTo: [],
    });
    const sealed = (await inboundRows(app))[0]!.raw_sealed!.slice(3, 80);
    const onDisk = () =>
      readdirSync(dirname(app.config.db))
        .filter((name) => name.startsWith('test.db'))
        .some((name) => readFileSync(join(dirname(app.config.db), name)).includes(sealed));
    if (dialect === 'sqlite') expect(onDisk()).toBe(true);
    expect(await app.inbound.purgeBodies('2026-11-21')).toEqual({ messages: 1 });
    expect(await app.inbound.purgeBodies('2026-11-21')).toEqual({ messages: 0 });
    const rows = await inboundRows(app);
    expect(
      rows.map((row) => [row.raw_sealed === null, row.headers_sealed === null, row.subject_sealed === null]),
    ).toEqual([
      [true, true, true],
      [false, false, false],
    ]);
    expect(rows[0]).toMatchObject({
      verdict: 'phishing',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    expect(await app.store.db.selectFrom('inbound_recipient').selectAll().execute()).toHaveLength(2);
    // Not even the ciphertext survives in the file or its write-ahead log.
    if (dialect === 'sqlite') expect(onDisk()).toBe(false);
    await expect(app.inbound.purgeBodies('last week')).rejects.toThrow(/--before/);
  });

  it('correlates phishing with the leaked set: the hand-computed case', async () => {
    const app = await createTestApp(dialect, { judge: headerJudge() });
    const accounts = Array.from({ length: 10 }, (_, i) => `u${i},a${i}@acme.test,A${i},active`);
    await app.directory.import({
      accounts: app.write('accounts.csv', ['id,email,name,status', ...accounts].join('\n')),
    });
    const id = await openTestIncident(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write(
        'leak.ndjson',
        profiles(
          ...[0, 1, 2, 3].map((i) => ({ $distinct_id: `x${i}`, $properties: { $email: `A${i}@acme.test` } })),
        ),
      ),
      format: 'auto',
    });
    const receive = (raw: Buffer) =>
      app.inbound.receive(raw, { mailFrom: null, rcptTo: ['phishing@acme.test'] });
    // Friday 2026-11-20: phishing to two leaked addresses (one reported twice), one other account.
    const toA0 = original('a0@acme.test', 'phishing');
    await receive(forward('a0@acme.test', toA0));
    await receive(forward('a0@acme.test', toA0)); // the same bytes: counted, not stored
    await receive(forward('a0@acme.test', toA0, 'Reporting this again')); // the same original
    await receive(forward('a1@acme.test', original('a1@acme.test', 'phishing')));
    await receive(forward('a4@acme.test', original('a4@acme.test', 'phishing')));
    await receive(forward('a3@acme.test', original('a3@acme.test', 'clean')));
    await receive(forward('a3@acme.test', original('a3@acme.test', 'suspicious')));
    // Monday 2026-11-23: a third leaked address, and someone outside the directory.
    app.clock.advance(3 * 24 * 3600_000);
    await receive(forward('a2@acme.test', original('A2@Acme.test', 'phishing')));
    await receive(forward('x@else.test', original('stranger@else.test', 'phishing')));

    const report = await app.misuse.correlate(id);
    expect(report.groups).toEqual({
      leaked: { addresses: 4, targeted: 3, messages: 3 },
      rest: { addresses: 6, targeted: 1, messages: 1 },
      outside: { targeted: 1, messages: 1 },
    });
    expect(report.inbound).toEqual({ phishing: 6, suspicious: 1, clean: 1, unjudged: 0, dsn: 0 });
    expect(report.statistics.fisher.pTwoSided).toBeCloseTo(40 / 210, 12);
    expect(report.statistics.fisher.pGreater).toBeCloseTo(25 / 210, 12);
    expect(report.statistics.riskRatio).toBeCloseTo(4.5, 12);
    expect(report.statistics.conclusion).toBe('no_evidence');
    expect(report.series).toEqual({
      by: 'day',
      periods: [
        { period: '2026-11-20', leaked: 2, rest: 1, outside: 0 },
        { period: '2026-11-23', leaked: 1, rest: 0, outside: 1 },
      ],
    });
    expect((await app.misuse.correlate(id, { by: 'week' })).series.periods).toEqual([
      { period: '2026-11-16', leaked: 2, rest: 1, outside: 0 },
      { period: '2026-11-23', leaked: 1, rest: 0, outside: 1 },
    ]);
    const later = await app.misuse.correlate(id, { since: '2026-11-21' });
    expect(later.groups.leaked).toEqual({ addresses: 4, targeted: 1, messages: 1 });
    expect(later.groups.rest).toEqual({ addresses: 6, targeted: 0, messages: 0 });
    expect(later.range).toEqual({ since: '2026-11-21T00:00:00.000Z', until: null });
  });

  it('counts a leaked address that is no account as leaked, and refuses bad options', async () => {
    const app = await createTestApp(dialect, { judge: headerJudge() });
    await app.directory.import({
      accounts: app.write('a.csv', 'id,email\nu1,one@acme.test\nu2,two@acme.test\n'),
    });
    const id = await openTestIncident(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write(
        'leak.ndjson',
        profiles({ $distinct_id: 'gone', $properties: { $email: 'former@acme.test' } }),
      ),
      format: 'auto',
    });
    await app.inbound.receive(forward('r@acme.test', original('former@acme.test', 'phishing')), {
      mailFrom: null,
      rcptTo: [],
    });
    const report = await app.misuse.correlate(id);
    expect(report.groups.leaked).toEqual({ addresses: 1, targeted: 1, messages: 1 });
    expect(report.groups.rest).toEqual({ addresses: 2, targeted: 0, messages: 0 });
    await expect(app.misuse.correlate(id, { since: 'yesterday' })).rejects.toThrow(/--since/);
    await expect(app.misuse.correlate(id, { since: '2026-11-22', until: '2026-11-21' })).rejects.toThrow(
      /before --until/,
    );
    await expect(app.misuse.correlate('inc_nope')).rejects.toThrow(/inc_nope/);
  });
});

async function sentIncident(app: TestApp): Promise<string> {
  await app.directory.import({ accounts: app.write('a.csv', 'id,email\nu1,one@acme.test\n') });
  const id = await openTestIncident(app);
  await app.datasets.import({
    incidentId: id,
    path: app.write('p.ndjson', profiles({ $distinct_id: 'u1', $properties: { $name: 'One' } })),
    format: 'auto',
  });
  await app.notices.plan(id);
  await app.notices.approve(id, 'Dana Responder');
  const sink = await startMailSink({ dir: join(app.dir, 'mail') });
  const sender = createSmtpSender({ url: sink.url });
  try {
    expect((await app.delivery.send(id, { sender })).sent).toBe(1);
  } finally {
    sender.close();
    await sink.close();
  }
  return id;
}

const dsn = (messageId: string) => deliveryReport(messageId, { to: 'phishing@acme.test' });
