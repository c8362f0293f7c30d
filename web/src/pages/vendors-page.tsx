import { Loading, Problem, Section, Table, when } from '../components/common.js';
import type { ReviewStanding, VendorExposure } from '../types.js';
import { useApi } from '../use-api.js';

/** Every vendor: what it receives, for how many people, its risk, and where its reviews stand. */
export function VendorsPage() {
  const exposure = useApi<VendorExposure[]>('/api/vendors/exposure');
  const reviews = useApi<ReviewStanding[]>('/api/vendors/reviews');
  const standing = new Map((reviews.data ?? []).map((row) => [row.vendor.name, row]));
  return (
    <>
      <h1>Vendors</h1>
      <Problem error={exposure.error ?? reviews.error} />
      {exposure.data === null ? (
        <Loading what="vendors" />
      ) : (
        <Section title="Inventory, highest risk first" id="inventory">
          <Table
            caption="Vendors"
            head={[
              'Vendor',
              'Status',
              'Receives',
              'People',
              'Organizations',
              'Risk',
              'Last review',
              'Next due',
              'Problems',
            ]}
          >
            {exposure.data.map((row) => {
              const review = standing.get(row.vendor.name);
              return (
                <tr key={row.vendor.id}>
                  <td>{row.vendor.name}</td>
                  <td>{row.vendor.status}</td>
                  <td>{row.categories.join(', ')}</td>
                  <td>{row.people}</td>
                  <td>{row.organizations}</td>
                  <td title={row.risk.reason}>
                    {row.risk.tier} ({row.risk.score})
                  </td>
                  <td>
                    {review?.lastReview
                      ? `${when(review.lastReview.reviewedAt)} ${review.lastReview.verdict}`
                      : 'never'}
                  </td>
                  <td className={review?.overdue ? 'bad' : undefined}>{when(review?.nextDue ?? null)}</td>
                  <td>{review?.problems.join(' ') || '—'}</td>
                </tr>
              );
            })}
          </Table>
        </Section>
      )}
    </>
  );
}
