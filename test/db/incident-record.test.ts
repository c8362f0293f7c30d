import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMailSink } from '../../src/adapters/mail-sink.js';
import { createApp } from '../../src/app.js';
import { createSmtpSender } from '../../src/adapters/smtp-sender.js';
import { testDialects } from '../support/databases.js';
import { approvedDemoIncident, createTestApp, openTestIncident, type TestApp } from '../support/test-app.js';

async function sendAll(app: TestApp, id: string) {
  const sink = await startMailSink({ dir: join(app.dir, 'mail') });
  const sender = createSmtpSender({ url: sink.url });
  try {
    await app.delivery.send(id, { sender });
    await app.delivery.send(id, { sender });
  } finally {
    sender.close();
    await sink.close();
  }
}

async function actions(app: TestApp, id: string) {
  return (await app.audit.list(id)).map((entry) => entry.action);
}

describe.each(testDialects())('the incident record on %s', (dialect) => {
  it('opens an incident in triage with its opening and awareness on the timeline', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    expect((await app.incidents.get(id)).status).toBe('triage');
    expect(await app.incidents.timeline(id)).toMatchObject([
      {
        type: 'vendor_informed_us',
        occurredAt: '2026-11-19T00:00:00.000Z',
        source: 'incident open --aware-at',
      },
      {
        type: 'incident_opened',
        occurredAt: '2026-11-20T09:00:00.000Z',
        source: 'breachdesk',
        recordedBy: 'tester',
      },
    ]);
  });

  it('sorts the timeline by when things happened, not when they were recorded', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    await app.incidents.addEvent(id, { type: 'vendor_terminated', at: '2026-11-20T08:00:00Z' });
    await app.incidents.addEvent(id, {
      type: 'vendor_aware',
      at: '2026-11-10',
      source: 'vendor status page',
      note: 'attacker in the SMS provider',
    });
    const timeline = await app.incidents.timeline(id);
    expect(timeline.map((event) => event.type)).toEqual([
      'vendor_aware',
      'vendor_informed_us',
      'vendor_terminated',
      'incident_opened',
    ]);
    expect(timeline[0]).toMatchObject({ source: 'vendor status page', note: 'attacker in the SMS provider' });
    expect(timeline[2]).toMatchObject({ source: 'operator' });
  });

  it('moves the awareness time to the earliest time the vendor informed us, never later', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    await app.incidents.addEvent(id, { type: 'vendor_informed_us', at: '2026-11-19T12:00:00Z' });
    expect((await app.incidents.get(id)).awareAt).toBe('2026-11-19T00:00:00.000Z');
    await app.incidents.addEvent(id, { type: 'vendor_informed_us', at: '2026-11-18T17:30:00+01:00' });
    expect((await app.incidents.get(id)).awareAt).toBe('2026-11-18T16:30:00.000Z');
  });

  it('sets the awareness time of an incident opened without one', async () => {
    const app = await createTestApp(dialect);
    await app.vendors.add({ name: 'Mixpanel', categories: 'email' });
    const { id } = await app.incidents.open({ vendor: 'Mixpanel', title: 'T', exposed: 'email' });
    await app.incidents.addEvent(id, { type: 'vendor_informed_us', at: '2026-11-19' });
    expect((await app.incidents.get(id)).awareAt).toBe('2026-11-19T00:00:00.000Z');
  });

  it('refuses unknown, flow-only and future events with the reason', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    await expect(app.incidents.addEvent(id, { type: 'breach', at: '2026-11-19' })).rejects.toThrow(
      /--type: "breach" is not an event type \(one of: vendor_aware, /,
    );
    await expect(app.incidents.addEvent(id, { type: 'status_changed', at: '2026-11-19' })).rejects.toThrow(
      /not an event type/,
    );
    await expect(app.incidents.addEvent(id, { type: 'note', at: '2026-11-21' })).rejects.toThrow(
      /in the future/,
    );
    await expect(app.incidents.addEvent(id, { type: 'note', at: '2026-11-19T10:00' })).rejects.toThrow(
      /with Z or an offset/,
    );
    await expect(app.incidents.addEvent('inc_nope', { type: 'note', at: '2026-11-19' })).rejects.toThrow(
      /unknown incident/,
    );
    expect(await app.incidents.timeline(id)).toHaveLength(2);
  });

  it('keeps notes as given but without control characters', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const event = await app.incidents.addEvent(id, {
      type: 'note',
      at: '2026-11-19',
      note: 'line one\r\nline\u001b[31m two <b>&</b>\u202Egnp.exe\u0000',
    });
    expect(event.note).toBe('line one\nline[31m two <b>&</b>gnp.exe');
    expect((await app.incidents.timeline(id)).find((e) => e.type === 'note')?.note).toBe(event.note);
  });

  it('moves through the stages, recording each change on the timeline and in the audit log', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    expect(await app.incidents.setStatus(id, 'scoping')).toEqual({ from: 'triage', to: 'scoping' });
    await app.incidents.setStatus(id, 'closed', { reason: 'no customer of ours in the dataset' });
    expect((await app.incidents.get(id)).status).toBe('closed');
    const changes = (await app.incidents.timeline(id)).filter((event) => event.type === 'status_changed');
    expect(changes).toMatchObject([
      { detail: { from: 'triage', to: 'scoping' }, note: null },
      { detail: { from: 'scoping', to: 'closed' }, note: 'no customer of ours in the dataset' },
    ]);
    expect((await actions(app, id)).filter((action) => action === 'incident.status')).toHaveLength(2);
  });

  it('refuses a transition that is not allowed and changes nothing', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    const before = await actions(app, id);
    await expect(app.incidents.setStatus(id, 'monitoring')).rejects.toThrow(
      `cannot move ${id} to monitoring: triage cannot go to monitoring (allowed: scoping, closed)`,
    );
    await expect(app.incidents.setStatus(id, 'closed')).rejects.toThrow(/needs a --reason/);
    await expect(app.incidents.setStatus(id, 'done')).rejects.toThrow(/unknown status "done"/);
    expect((await app.incidents.get(id)).status).toBe('triage');
    expect(await actions(app, id)).toEqual(before);
  });

  it('does not close while notices wait to be sent', async () => {
    const app = await createTestApp(dialect);
    const { id } = await approvedDemoIncident(app, 100);
    await app.incidents.setStatus(id, 'scoping');
    await app.incidents.setStatus(id, 'notifying');
    await app.incidents.setStatus(id, 'monitoring');
    await expect(app.incidents.setStatus(id, 'closed', { reason: 'done' })).rejects.toThrow(
      /notices are still queued, sending or deferred/,
    );
  });

  it('logs decisions with who decided, when and why', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    await app.incidents.decide(id, {
      decision: 'Terminate the vendor contract',
      reason: 'second incident this year',
      by: 'CISO',
      at: '2026-11-20T08:00:00Z',
    });
    await app.incidents.decide(id, { decision: 'Notify admins too', reason: 'org ids were exposed' });
    expect(await app.incidents.decisions(id)).toMatchObject([
      {
        decidedAt: '2026-11-20T08:00:00.000Z',
        decidedBy: 'CISO',
        decision: 'Terminate the vendor contract',
        reason: 'second incident this year',
        recordedBy: 'tester',
      },
      { decidedAt: '2026-11-20T09:00:00.000Z', decidedBy: 'tester', decision: 'Notify admins too' },
    ]);
    await expect(app.incidents.decide(id, { decision: 'x', reason: ' \u0007 ' })).rejects.toThrow(
      '--reason must not be empty',
    );
    const entry = (await app.audit.list(id)).find((line) => line.action === 'incident.decide');
    expect(entry?.detail).toMatchObject({ decidedBy: 'CISO', reason: 'second incident this year' });
  });

  it('puts the flow on the timeline by itself: dataset, approval and the end of sending, once', async () => {
    const app = await createTestApp(dialect);
    const { id, added } = await approvedDemoIncident(app, 100);
    const [dataset] = await app.datasets.list(id);
    await sendAll(app, id);
    const timeline = await app.incidents.timeline(id);
    expect(timeline.map((event) => event.type)).toEqual([
      'vendor_informed_us',
      'incident_opened',
      'dataset_received',
      'notices_approved',
      'notices_sent',
    ]);
    expect(timeline[2]?.detail).toMatchObject({ datasetId: dataset?.id, sha256: dataset?.sha256 });
    expect(timeline[3]?.detail).toMatchObject({ by: 'Dana Responder', approved: added });
    expect(timeline[4]).toMatchObject({ source: 'breachdesk', detail: { sent: added } });
    expect(await app.audit.verify()).toMatchObject({ ok: true });
  });
});

describe.each(testDialects().filter((dialect) => dialect === 'postgres'))(
  'senders finishing together on %s',
  (dialect) => {
    it('puts notices_sent on the timeline once', async () => {
      const app = await createTestApp(dialect);
      const { id, added } = await approvedDemoIncident(app, 100);
      const other = await createApp({ config: app.config, clock: app.clock });
      const sink = await startMailSink({ dir: join(app.dir, 'mail') });
      const senders = [createSmtpSender({ url: sink.url }), createSmtpSender({ url: sink.url })];
      try {
        const results = await Promise.all(
          [app, other].map((each, n) => each.delivery.send(id, { sender: senders[n]!, concurrency: 2 })),
        );
        expect(results[0]!.sent + results[1]!.sent).toBe(added);
      } finally {
        senders.forEach((sender) => sender.close());
        await sink.close();
        await other.close();
      }
      const sentEvents = (await app.incidents.timeline(id)).filter((event) => event.type === 'notices_sent');
      expect(sentEvents).toHaveLength(1);
      expect(sentEvents[0]?.detail).toEqual({ sent: added });
      expect(await app.audit.verify()).toMatchObject({ ok: true });
    }, 60_000);
  },
);
