import { Type } from '@sinclair/typebox';
import { route, type Route } from '../route-spec.js';
import { Nullable } from '../schemas.js';

const count = Type.Number();

/** The vendor inventory: each vendor's blast radius and where its reviews stand. */
export const vendorRoutes: Route[] = [
  route({
    method: 'GET',
    url: '/api/vendors/exposure',
    summary: "Every vendor's blast radius over the directory, highest risk first (counts only)",
    tag: 'vendors',
    access: 'viewer',
    response: Type.Array(
      Type.Object({
        vendor: Type.Object({ id: Type.String(), name: Type.String(), status: Type.String() }),
        population: Type.String(),
        people: count,
        organizations: count,
        adminRecipients: count,
        categories: Type.Array(Type.String()),
        jurisdictions: Type.Array(Type.Object({ jurisdiction: Type.String(), people: count })),
        risk: Type.Object({ score: count, tier: Type.String(), cadenceMonths: count, reason: Type.String() }),
      }),
    ),
    handler: ({ app }) => app.vendorRisk.ranking(),
  }),
  route({
    method: 'GET',
    url: '/api/vendors/reviews',
    summary: "Every vendor's review standing: last review, next due, overdue findings, problems",
    tag: 'vendors',
    access: 'viewer',
    response: Type.Array(
      Type.Object({
        vendor: Type.Object({ name: Type.String(), status: Type.String() }),
        lastReview: Nullable(
          Type.Object({ reviewedAt: Type.String(), catalogue: Type.String(), verdict: Type.String() }),
        ),
        nextDue: Nullable(Type.String()),
        overdue: Type.Boolean(),
        problems: Type.Array(Type.String()),
      }),
    ),
    handler: ({ app }) => app.vendorReviews.reviews({ all: true }),
  }),
];
