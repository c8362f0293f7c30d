import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../../src/adapters/mail-sink.js';
import { createSmtpSender, type MailSender } from '../../src/adapters/smtp-sender.js';
import { unitOfWork } from '../../src/db/repositories.js';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';
import { operator } from '../../src/services/caller.js';
import { deliveryReport } from '../support/delivery-report.js';

const ACCOUNTS = `id,email,name,status
u1,owner@acme.test,"Olivia <script>alert(1)</script>",active
u2,member@acme.test,"Mallory\r\nBcc: victim@evil.test",active
u3,quiet@acme.test,Quentin,active
`;

async function incidentWithNotices(app: TestApp) {
  await app.directory.import({
    accounts: app.write('accounts.csv', ACCOUNTS),
    organizations: app.write('orgs.csv', 'id,name\norg-1,"=HYPERLINK(""http://x"")"\n'),
    memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,u1,owner\norg-1,u2,member\n'),
  });
  const id = await openTestIncident(app);
  await app.datasets.import({
    incidentId: id,
    path: app.write(
      'people.ndjson',
      profiles(
        { $distinct_id: 'u2', $properties: { $name: 'Mallory', $city: 'Lyon', org_id: 'org-1' } },
        { $distinct_id: 'anon', $properties: { $email: 'outsider@else.test', $browser: 'Chrome' } },
      ),
    ),
    format: 'auto',
  });
  await app.notices.plan(id);
  await app.notices.approve(id, 'Dana Responder');
  return id;
}

async function receivedMessages(dir: string) {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort();
  return Promise.all(files.map((name) => simpleParser(readFileSync(join(dir, name)))));
}

/** A real SMTP server on loopback and a pooled sender to it, both closed afterwards. */
async function withSink<T>(
  app: TestApp,
  work: (sender: MailSender, sink: MailSink) => Promise<T>,
  reject?: (a: string) => { code: number; message: string } | null,
) {
  const sink = await startMailSink({ dir: join(app.dir, 'mail'), rejectRecipient: reject });
  const sender = createSmtpSender({ url: sink.url });
  try {
    return await work(sender, sink);
  } finally {
    sender.close();
    await sink.close();
  }
}

describe.each(testDialects())('the whole flow on %s', (dialect) => {
  it('delivers one precise notice per recipient to a real SMTP server, and never twice', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    await withSink(app, async (sender, sink) => {
      expect(await app.delivery.send(id, { sender })).toEqual({
        sent: 3,
        deferred: 0,
        failed: 0,
        dead: 0,
        paced: 0,
      });
      expect(await app.delivery.send(id, { sender })).toEqual({
        sent: 0,
        deferred: 0,
        failed: 0,
        dead: 0,
        paced: 0,
      });
      expect(sink.received()).toBe(3);
    });
    const messages = await receivedMessages(join(app.dir, 'mail'));
    const byTo = new Map(messages.map((m) => [m.to && !Array.isArray(m.to) ? m.to.text : '', m]));
    expect([...byTo.keys()].sort()).toEqual(['member@acme.test', 'outsider@else.test', 'owner@acme.test']);

    const member = byTo.get('member@acme.test')!;
    expect(member.text).toContain('Your name');
    expect(member.text).toContain('approximate location');
    expect(member.text).not.toContain('browser');
    expect(member.text).toMatch(/password/i);
    expect(member.messageId).toMatch(/^<ntc_[a-z0-9]+\.inc_[a-z0-9]+@notices\.example\.com>$/);
    expect(member.headers.get('x-breachdesk-reference')).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(member.headers.has('bcc')).toBe(false);

    const owner = byTo.get('owner@acme.test')!;
    expect(owner.text).not.toContain('Your information');
    expect(owner.text).toContain('Impacted members: 1');
    expect(owner.html).not.toContain('<script>');
    expect(owner.html).toContain('&lt;script&gt;');

    const outsider = byTo.get('outsider@else.test')!;
    expect(outsider.text).toContain('browser');
    expect(outsider.text).not.toContain('approximate location');

    const status = await app.notices.status(id, operator('tester'));
    expect(status).toMatchObject({ total: 3, sent: 3, queued: 0 });
  });

  it('marks a 5xx reply failed with the reason and defers a 4xx reply for a later retry', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    const reject = (address: string) =>
      address.startsWith('outsider')
        ? { code: 550, message: 'mailbox unavailable' }
        : address.startsWith('owner')
          ? { code: 451, message: 'try again later' }
          : null;
    await withSink(
      app,
      async (sender) => {
        expect(await app.delivery.send(id, { sender })).toEqual({
          sent: 1,
          deferred: 1,
          failed: 1,
          dead: 0,
          paced: 0,
        });
        // Before the backoff has passed nothing is due.
        expect(await app.delivery.send(id, { sender })).toEqual({
          sent: 0,
          deferred: 0,
          failed: 0,
          dead: 0,
          paced: 0,
        });
      },
      reject,
    );
    const status = await app.notices.status(id, operator('tester'));
    expect(status).toMatchObject({ sent: 1, deferred: 1, failed: 1 });
    expect(status.problems.find((p) => p.status === 'failed')?.last_error).toContain('mailbox unavailable');

    app.clock.advance(61_000);
    await withSink(app, async (sender) => {
      expect(await app.delivery.send(id, { sender })).toEqual({
        sent: 1,
        deferred: 0,
        failed: 0,
        dead: 0,
        paced: 0,
      });
    });
  });

  it('resends a notice whose sender crashed only after its lease ran out, with the same Message-ID', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    const now = app.clock.now();
    // A worker claimed everything, then died without recording a result.
    const claimed = await unitOfWork(app.store).repos.notices.claim(
      id,
      'dead-worker',
      now.toISOString(),
      new Date(now.getTime() + 120_000).toISOString(),
      10,
    );
    expect(claimed).toHaveLength(3);
    await withSink(app, async (sender) => {
      expect((await app.delivery.send(id, { sender })).sent).toBe(0);
      app.clock.advance(121_000);
      expect((await app.delivery.send(id, { sender })).sent).toBe(3);
    });
    const messages = await receivedMessages(join(app.dir, 'mail'));
    expect(messages.map((m) => m.messageId).sort()).toEqual(claimed.map((n) => n.message_id).sort());
  });

  it('re-planning after a new dataset adds only the new recipients', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write('more.ndjson', profiles({ $distinct_id: 'u3', $properties: { $os: 'macOS' } })),
      format: 'auto',
    });
    expect(await app.notices.plan(id)).toEqual({
      recipients: 4,
      added: 1,
      alreadyPlanned: 3,
      layouts: { default: 1 },
    });
  });

  it('stops at an authentication failure, leaves every notice queued, and sends them once fixed', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    const sink = await startMailSink({ dir: join(app.dir, 'mail'), auth: { user: 'bd', pass: 'right' } });
    try {
      const wrong = createSmtpSender({ url: sink.url.replace('//', '//bd:wrong@') });
      await expect(app.delivery.send(id, { sender: wrong })).rejects.toThrow(
        /authentication failed.*the rest stay queued/,
      );
      wrong.close();
      expect(await app.notices.status(id, operator('tester'))).toMatchObject({
        queued: 3,
        sent: 0,
        failed: 0,
      });
      const right = createSmtpSender({ url: sink.url.replace('//', '//bd:right@') });
      expect(await app.delivery.send(id, { sender: right })).toEqual({
        sent: 3,
        deferred: 0,
        failed: 0,
        dead: 0,
        paced: 0,
      });
      right.close();
    } finally {
      await sink.close();
    }
  });

  it('does not send or record a notice whose lease another worker has taken over', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    const { notices } = unitOfWork(app.store).repos;
    const now = app.clock.now();
    const [stale] = await notices.claim(
      id,
      'slow-worker',
      now.toISOString(),
      new Date(now.getTime() + 1_000).toISOString(),
      1,
    );
    app.clock.advance(2_000);
    await withSink(app, async (sender) => {
      expect((await app.delivery.send(id, { sender })).sent).toBe(3);
    });
    const later = new Date(app.clock.now().getTime() + 60_000).toISOString();
    expect(await notices.renewLease(stale!.id, 'slow-worker', later)).toBe(false);
    expect(
      await notices.finishAll('slow-worker', [{ id: stale!.id, status: 'failed', last_error: 'late' }]),
    ).toEqual([]);
    expect(await app.notices.status(id, operator('tester'))).toMatchObject({ sent: 3, failed: 0 });
  });

  it('refuses to send an unapproved plan and sends only what was approved', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write('late.ndjson', profiles({ $distinct_id: 'u3', $properties: { $os: 'macOS' } })),
      format: 'auto',
    });
    await app.notices.plan(id);
    await withSink(app, async (sender) => {
      expect((await app.delivery.send(id, { sender })).sent).toBe(3);
      expect(await app.notices.status(id, operator('tester'))).toMatchObject({ sent: 3, queued: 1 });
      await app.notices.approve(id, 'Dana Responder');
      expect((await app.delivery.send(id, { sender })).sent).toBe(1);
    });
    const fresh = await createTestApp(dialect);
    const other = await incidentWithNotices(fresh).then(async (incident) => {
      await fresh.store.db.updateTable('notice').set({ approved_at: null, approved_by: null }).execute();
      return incident;
    });
    await expect(
      fresh.delivery.send(other, { sender: createSmtpSender({ url: 'smtp://127.0.0.1:9' }) }),
    ).rejects.toThrow(/is not approved: run notices approve/);
  });

  it('verifies a sent notice by reference code and address, and nothing else', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    await withSink(app, async (sender) => {
      await app.delivery.send(id, { sender });
    });
    const messages = await receivedMessages(join(app.dir, 'mail'));
    const member = messages.find((m) => m.to && !Array.isArray(m.to) && m.to.text === 'member@acme.test')!;
    const code = member.headers.get('x-breachdesk-reference') as string;
    expect(await app.notices.verify(code.toLowerCase(), ' MEMBER@acme.test ')).toMatchObject({
      genuine: true,
      status: 'sent',
    });
    expect(await app.notices.verify(code, 'owner@acme.test')).toEqual({
      genuine: false,
      sentAt: null,
      status: null,
    });
    expect(await app.notices.verify('0000-0000-0000', 'member@acme.test')).toEqual({
      genuine: false,
      sentAt: null,
      status: null,
    });
    expect(member.text).toContain(code);
  });

  it('says a notice is genuine only once a mail server accepted it', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    const address = 'member@acme.test';
    const code = (await app.notices.preview(id, address)).text.match(
      /\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b/,
    )?.[0];
    expect(code).toBeDefined();
    expect(await app.notices.verify(code!, address)).toEqual({
      genuine: false,
      sentAt: null,
      status: 'queued',
    });
    const { notices } = unitOfWork(app.store).repos;
    const now = app.clock.now();
    await notices.claim(id, 'worker', now.toISOString(), new Date(now.getTime() + 1_000).toISOString(), 10);
    expect(await app.notices.verify(code!, address)).toEqual({
      genuine: false,
      sentAt: null,
      status: 'sending',
    });
    app.clock.advance(2_000);
    await withSink(app, async (sender) => {
      await app.delivery.send(id, { sender });
    });
    expect(await app.notices.verify(code!, address)).toEqual({
      genuine: true,
      sentAt: app.clock.now().toISOString(),
      status: 'sent',
    });
  });

  it('holds back what a per-domain rate does not allow yet and sends it when the rate allows', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    const pace = { perDomainPerHour: 3_600 };
    await withSink(app, async (sender) => {
      // Two notices go to acme.test, one to else.test: one a second per domain.
      expect(await app.delivery.send(id, { sender, pace })).toMatchObject({ sent: 2, paced: 1 });
      expect(await app.delivery.send(id, { sender, pace })).toMatchObject({ sent: 0, paced: 0 });
      app.clock.advance(1_000);
      expect(await app.delivery.send(id, { sender, pace })).toMatchObject({ sent: 1, paced: 0 });
    });
    expect(await app.notices.status(id, operator('tester'))).toMatchObject({ sent: 3, queued: 0 });
  });

  it('marks a sent notice bounced from a DSN in a folder, and ignores delays and strangers', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    await withSink(app, async (sender) => {
      await app.delivery.send(id, { sender });
    });
    const [notice] = await app.store.db
      .selectFrom('notice')
      .select(['message_id'])
      .where('incident_id', '=', id)
      .execute();
    const dsn = (messageId: string, action: string, status: string) =>
      deliveryReport(messageId, { action, status });
    const folder = join(app.dir, 'bounces');
    mkdirSync(folder);
    writeFileSync(join(folder, '1.eml'), dsn(notice!.message_id, 'failed', '5.1.1'));
    writeFileSync(join(folder, '2.eml'), dsn(notice!.message_id, 'delayed', '4.4.1'));
    writeFileSync(join(folder, '3.eml'), dsn('<not-ours@elsewhere.test>', 'failed', '5.1.1'));
    writeFileSync(join(folder, '4.eml'), 'From: a@b.test\r\nSubject: hello\r\n\r\nhi\r\n');
    expect(await app.delivery.recordBounces(id, folder)).toEqual({
      files: 4,
      bounced: 1,
      delayed: 1,
      ignored: 1,
      unmatched: 1,
      unreadable: 0,
    });
    const status = await app.notices.status(id, operator('tester'));
    expect(status).toMatchObject({ sent: 2, bounced: 1 });
    expect(status.problems.find((p) => p.status === 'bounced')?.last_error).toMatch(/5\.1\.1/);
    expect((await app.delivery.recordBounces(id, folder)).bounced).toBe(0);
  });

  it('runs a worker that waits out the backoff and stops once every notice is final', async () => {
    const app = await createTestApp(dialect);
    const id = await incidentWithNotices(app);
    let refusals = 0;
    const refuseOnce = (address: string) =>
      address.startsWith('owner') && refusals++ === 0 ? { code: 451, message: 'try again later' } : null;
    const waits: number[] = [];
    await withSink(
      app,
      async (sender) => {
        const wait = (ms: number) => {
          waits.push(ms);
          app.clock.advance(ms);
          return Promise.resolve();
        };
        expect(await app.delivery.work(id, { sender, wait })).toMatchObject({ sent: 3, deferred: 1 });
      },
      refuseOnce,
    );
    expect(waits).toEqual([60_000]);
    expect(await app.notices.status(id, operator('tester'))).toMatchObject({
      sent: 3,
      queued: 0,
      deferred: 0,
    });
  });
});
