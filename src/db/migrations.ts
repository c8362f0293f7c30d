import { Migrator, type Kysely, type Migration } from 'kysely';
import type { DialectName } from './database.js';
import { initialSchema } from './migrations/001-initial-schema.js';
import { incidentRecord } from './migrations/002-incident-record.js';
import { vendorInventory } from './migrations/003-vendor-inventory.js';
import { personLocation } from './migrations/004-person-location.js';
import { monitorIdentity } from './migrations/005-monitor-identity.js';
import { inboundMessage } from './migrations/006-inbound-message.js';
import { accessControl } from './migrations/007-access-control.js';
import { ingestIndexes } from './migrations/008-ingest-indexes.js';
import { noticeBody } from './migrations/009-notice-body.js';
import { valueBlocks } from './migrations/010-value-blocks.js';
import { matchStamp } from './migrations/011-match-stamp.js';
import { noticeOutboxIndex } from './migrations/013-notice-outbox-index.js';
import { analysisLayout } from './migrations/014-analysis-layout.js';
import { clusteredRecordOrganization } from './migrations/015-clustered-record-organization.js';
import { matchedAddressAtRead } from './migrations/016-matched-address-at-read.js';
import { membershipOrganizationKey } from './migrations/017-membership-organization-key.js';
import { accountStatusIndex } from './migrations/019-account-status-index.js';
import { byteOrderKeys } from './migrations/020-byte-order-keys.js';

/** Migrations are code, keyed by a sortable name, and run on every start. */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001-initial-schema': initialSchema(dialect),
    '002-incident-record': incidentRecord(dialect),
    '003-vendor-inventory': vendorInventory(),
    '004-person-location': personLocation(),
    '005-monitor-identity': monitorIdentity(),
    '006-inbound-message': inboundMessage(),
    '007-access-control': accessControl(dialect),
    '008-ingest-indexes': ingestIndexes(),
    '009-notice-body': noticeBody(),
    '010-value-blocks': valueBlocks(),
    '011-match-stamp': matchStamp(),
    '013-notice-outbox-index': noticeOutboxIndex(),
    '014-analysis-layout': analysisLayout(dialect),
    '015-clustered-record-organization': clusteredRecordOrganization(dialect),
    '016-matched-address-at-read': matchedAddressAtRead(dialect),
    '017-membership-organization-key': membershipOrganizationKey(),
    '019-account-status-index': accountStatusIndex(),
    '020-byte-order-keys': byteOrderKeys(dialect),
  };
}

export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: DialectName): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations(dialect)) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}
