import { Type, type TSchema } from '@sinclair/typebox';
import { CATEGORIES } from '../core/categories.js';

/** Schemas shared by several routes; each route's own are next to it. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IncidentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const ErrorBody = Type.Object({ error: Type.String() }, { $id: 'Error' });

export const Email = Type.String({ minLength: 3, maxLength: 254 });

const Category = Type.Union(CATEGORIES.map((category) => Type.Literal(category)));

export const Incident = Type.Object({
  id: Type.String(),
  vendorId: Type.String(),
  vendorName: Type.String(),
  title: Type.String(),
  exposed: Type.Array(Category),
  notExposed: Type.Array(Category),
  awareAt: Nullable(Type.String()),
  openedAt: Type.String(),
  status: Type.String(),
});

const count = Type.Number();
export const Summary = Type.Object({
  incident: Type.Object({ id: Type.String(), title: Type.String(), vendor: Type.String() }),
  records: Type.Object({ read: count, valid: count, quarantined: count }),
  people: Type.Object({ total: count, matched: count, unmatchedContactable: count, uncontactable: count }),
  organizations: count,
  organizationsWithoutAdmin: count,
  adminRecipients: count,
  recipients: count,
  categories: Type.Record(Type.String(), count),
  computedAt: Type.String(),
});

export const NoticeStatusName = Type.Union(
  ['queued', 'sending', 'sent', 'deferred', 'failed', 'bounced', 'dead'].map((status) =>
    Type.Literal(status),
  ),
);

export const PersonFound = Type.Object({
  kind: Type.String(),
  accountId: Nullable(Type.String()),
  address: Nullable(Type.String({ description: 'null for viewers' })),
  categories: Type.Array(Category),
  organizations: Type.Array(Type.String()),
  notice: Nullable(
    Type.Object({
      status: NoticeStatusName,
      sentAt: Nullable(Type.String()),
      referenceCode: Nullable(Type.String({ description: 'null for viewers' })),
    }),
  ),
});

export const NoticeStatusBody = Type.Object({
  total: count,
  queued: count,
  sending: count,
  sent: count,
  deferred: count,
  failed: count,
  bounced: count,
  dead: count,
  problems: Type.Array(
    Type.Object({
      recipient: Type.String({ description: '"(withheld)" for viewers' }),
      status: Type.String(),
      attempts: count,
      last_error: Nullable(Type.String()),
      next_attempt_at: Nullable(Type.String()),
    }),
  ),
});

export const SessionBody = Type.Object({
  user: Type.Object({ email: Type.String(), role: Type.String() }),
  csrfToken: Nullable(Type.String({ description: 'send it as X-CSRF-Token on every non-GET request' })),
});

export const AuditEntry = Type.Object({
  id: count,
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  incidentId: Nullable(Type.String()),
  detail: Type.Unknown(),
});

export const ExportQuery = Type.Object({ format: Type.Union([Type.Literal('csv'), Type.Literal('json')]) });
