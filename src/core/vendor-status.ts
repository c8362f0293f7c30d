/** Where a vendor stands: `removed` is removed from production (no new data) while the contract runs. */
export const VENDOR_STATUSES = ['active', 'suspended', 'removed', 'terminated'] as const;
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

export const VENDOR_STATUS_LABELS: Readonly<Record<VendorStatus, string>> = {
  active: 'active',
  suspended: 'suspended',
  removed: 'removed from production',
  terminated: 'terminated',
};

export function isVendorStatus(value: string): value is VendorStatus {
  return (VENDOR_STATUSES as readonly string[]).includes(value);
}

/** A vendor that still receives data (or may again, once unsuspended) keeps its review cadence. */
export function needsReviews(status: string): boolean {
  return status === 'active' || status === 'suspended';
}
