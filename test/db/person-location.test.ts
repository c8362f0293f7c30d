import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.js';
import { initialSchema } from '../../src/db/migrations/001-initial-schema.js';
import { openPostgres } from '../../src/db/postgres-store.js';
import { openSqlite } from '../../src/db/sqlite-store.js';
import { freshDatabase, testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles, type TestApp } from '../support/test-app.js';

const ACCOUNTS = `id,email,name,status,country,state
u1,ada@example.com,Ada,active,United States,New York
u2,bo@example.com,Bo,active,,
u3,cy@example.com,Cy,active,Japan,
`;

async function placesOf(app: TestApp, incidentId: string) {
  await app.impact.analyze(incidentId);
  const rows = await app.store.db
    .selectFrom('person')
    .select(['account_id', 'kind', 'country', 'region'])
    .where('incident_id', '=', incidentId)
    .execute();
  return Object.fromEntries(
    rows.map((row) => [row.account_id ?? row.kind, `${row.country ?? '-'}/${row.region ?? '-'}`]),
  );
}

describe.each(testDialects())('where people are, on %s', (dialect) => {
  it('keeps each record’s country and region in clear and no other location value', async () => {
    const app = await createTestApp(dialect);
    const id = await openTestIncident(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write(
        'people.ndjson',
        profiles({
          $distinct_id: 'x1',
          $properties: {
            $email: 'x1@example.org',
            $city: 'Sacramento',
            $region: 'California',
            $country_code: 'us',
          },
        }),
      ),
      format: 'auto',
    });
    const records = await app.store.db.selectFrom('exposed_record').selectAll().execute();
    expect(records.map((row) => [row.country, row.region])).toEqual([['US', 'CA']]);
    expect(JSON.stringify(records)).not.toContain('Sacramento');
  });

  it('places a person where most of their records are, with the region most of those give', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({ accounts: app.write('accounts.csv', ACCOUNTS) });
    const id = await openTestIncident(app);
    let inserts = 0;
    const event = (user: string, country: string | null, region: string | null) => ({
      event: 'Viewed',
      properties: {
        time: 1_700_000_000,
        distinct_id: user,
        $insert_id: `i-${++inserts}`,
        mp_country_code: country,
        $region: region,
      },
    });
    await app.datasets.import({
      incidentId: id,
      path: app.write(
        'events.ndjson',
        profiles(
          event('u2', 'DE', 'Bavaria'),
          event('u2', 'FR', null),
          event('u2', 'DE', null),
          event('u2', 'DE', null),
          event('u2', 'DE', 'Berlin'),
          event('u2', 'DE', 'Berlin'),
          event('u1', 'BR', 'SP'),
          event('stranger', null, null),
        ),
      ),
      format: 'mixpanel-events',
    });
    expect(await placesOf(app, id)).toEqual({
      // Records win over the directory: u1's account says New York.
      u1: 'BR/SP',
      u2: 'DE/BERLIN',
      uncontactable: '-/-',
    });
  });

  /** The places of the people in these Mixpanel profiles, matched against ACCOUNTS. */
  async function placesOfProfiles(...rows: Record<string, unknown>[]) {
    const app = await createTestApp(dialect);
    await app.directory.import({ accounts: app.write('accounts.csv', ACCOUNTS) });
    const id = await openTestIncident(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write('people.ndjson', profiles(...rows)),
      format: 'auto',
    });
    return placesOf(app, id);
  }

  it('falls back to the directory account’s country and state when the records say nowhere', async () => {
    const places = await placesOfProfiles(
      { $distinct_id: 'u1', $properties: { $name: 'Ada' } },
      { $distinct_id: 'u2', $properties: { $name: 'Bo' } },
      { $distinct_id: 'u3', $properties: { $name: 'Cy' } },
    );
    expect(places).toEqual({
      u1: 'US/NY',
      u2: '-/-',
      u3: 'JP/-',
    });
  });

  it('places a person by one record only when it gives a country, as it would by several', async () => {
    const places = await placesOfProfiles(
      // A region without a country places nobody: Ada falls back to her account, Bo stays unplaced.
      { $distinct_id: 'u1', $properties: { $region: 'Bavaria' } },
      { $distinct_id: 'u2', $properties: { $region: 'Bavaria' } },
      { $distinct_id: 'u3', $properties: { $country_code: 'fr', $region: 'Normandy' } },
      { $distinct_id: 'x9', $properties: { $email: 'x9@example.org', $country_code: 'de' } },
    );
    expect(places).toEqual({
      u1: 'US/NY',
      u2: '-/-',
      u3: 'FR/NORMANDY',
      unmatched_contactable: 'DE/-',
    });
  });

  it('places the accounts of a database made before locations were kept, from their directory columns', async () => {
    const database = await freshDatabase(dialect);
    const old = dialect === 'sqlite' ? openSqlite(database.location) : openPostgres(database.location);
    const { error } = await new Migrator({
      db: old.db,
      provider: { getMigrations: () => Promise.resolve({ '001-initial-schema': initialSchema(dialect) }) },
    }).migrateToLatest();
    expect(error).toBeUndefined();
    const account = {
      email: null,
      email_norm: null,
      email_key: null,
      name: null,
      status: 'active',
      locale: null,
    };
    await old.db
      .insertInto('account')
      .values([
        {
          ...account,
          id: 'a1',
          id_key: 'k1',
          attributes: '{"country":"Brazil","state":"São Paulo"}',
          updated_at: 'now',
        },
        { ...account, id: 'a2', id_key: 'k2', attributes: '{"team":"x"}', updated_at: 'now' },
      ])
      .execute();
    await old.close();
    const store = await openStore(database.location);
    try {
      const rows = await store.db
        .selectFrom('account')
        .select(['id', 'country', 'region'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: 'a1', country: 'BR', region: 'SÃO PAULO' },
        { id: 'a2', country: null, region: null },
      ]);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
