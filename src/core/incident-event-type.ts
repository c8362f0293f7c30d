/**
 * What can happen on an incident's timeline. `vendor_informed_us` is when the company became
 * aware: deadlines count from it, so the incident's `aware_at` follows the earliest such event.
 */
export const INCIDENT_EVENT_TYPES = [
  'incident_opened',
  'vendor_aware',
  'vendor_informed_us',
  'dataset_received',
  'vendor_removed_from_production',
  'notices_approved',
  'notices_sent',
  'vendor_terminated',
  'status_changed',
  'note',
] as const;

export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

/** Only the flow itself records these; a hand-made one would misstate what breachdesk did. */
export const FLOW_ONLY_EVENT_TYPES: readonly IncidentEventType[] = ['incident_opened', 'status_changed'];

export function isIncidentEventType(value: string): value is IncidentEventType {
  return (INCIDENT_EVENT_TYPES as readonly string[]).includes(value);
}
