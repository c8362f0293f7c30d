import type { Clock } from '../adapters/clock.js';
import type { SecretBox } from '../adapters/secret-box.js';
import { CATEGORIES, categoriesOf, type Category } from '../core/categories.js';
import { groupBy } from '../core/group-by.js';
import { UserError } from '../core/errors.js';
import { matchStamp } from '../core/match-stamp.js';
import { normalizeEmail } from '../core/identity.js';
import { MATCH_RULES } from '../db/match.repository.js';
import type { Repositories, UnitOfWork } from '../db/repositories.js';
import type { NoticeStatus, PersonKind } from '../db/schema.js';
import { recordAudit, type Actor } from './audit.js';
import { readsValues, type Caller } from './caller.js';
import type { Incident, IncidentService } from './incident.service.js';
import type { SingleFlight } from './single-flight.js';

export interface ImpactSummary {
  incident: { id: string; title: string; vendor: string };
  records: { read: number; valid: number; quarantined: number };
  people: { total: number; matched: number; unmatchedContactable: number; uncontactable: number };
  organizations: number;
  /** Impacted organizations without an active admin with an address: nobody there gets told. */
  organizationsWithoutAdmin: number;
  adminRecipients: number;
  recipients: number;
  categories: Record<Category, number>;
}

export interface PersonLine {
  email: string | null;
  accountId: string | null;
  categories: Category[];
  organizations: string[];
}

/** A person found by address or account id, as the dashboard shows them. */
export interface PersonFound {
  kind: PersonKind;
  accountId: string | null;
  /** Withheld (null) from viewers. */
  address: string | null;
  categories: Category[];
  organizations: string[];
  notice: { status: NoticeStatus; sentAt: string | null; referenceCode: string | null } | null;
}

/** Counts for the dashboard's charts; organization names, never a person. */
export interface ImpactBreakdown {
  peopleByCountry: { country: string | null; people: number }[];
  organizationSizes: { members: number; organizations: number }[];
  largestOrganizations: { name: string; impactedMembers: number }[];
}

export type PersonQuery = { address: string } | { accountId: string };

/** Runs one named step of the rebuild; the memory bench passes one that measures each. */
export type RebuildStep = <T>(name: string, run: () => Promise<T>) => Promise<T>;

/**
 * The statements of a rebuild of the incident's matches, in order, inside the caller's transaction
 * (ImpactService's, or the memory bench's, which rolls it back): the one list both run.
 */
export async function rebuildMatches(
  { matches, summaries }: Pick<Repositories, 'matches' | 'summaries'>,
  incidentId: string,
  { stamp, clock }: { stamp: string; clock: Clock },
  step: RebuildStep = (_name, run) => run(),
): Promise<void> {
  await step('roomForSorts', () => matches.roomForSorts());
  await step('deleteMatches', () => matches.deleteMatches(incidentId));
  await step('matchDirectly', () => matches.matchDirectly(incidentId));
  await step('refreshRebuiltStatistics record_match', () => matches.refreshRebuiltStatistics('record_match'));
  await step('matchBySiblingUserId', () => matches.matchBySiblingUserId(incidentId));
  await step('adoptSiblingEmail', () => matches.adoptSiblingEmail(incidentId));
  await step('deletePersonOrganizations', () => matches.deletePersonOrganizations(incidentId));
  // Before the people go: deleting a million of them from their random-keyed index took 6.9 s, 0.4 s without.
  const personIndexes = await step('dropPersonIndexes', () => matches.dropPersonIndexes());
  await step('deletePeople', () => matches.deletePeople(incidentId));
  await step('deleteOrganizationPeople', () => matches.deleteOrganizationPeople(incidentId));
  await step('insertMatchedPeople', () => matches.insertMatchedPeople(incidentId));
  await step('insertUnmatchedPeople', () => matches.insertUnmatchedPeople(incidentId));
  await step('restoreIndexes person', () => matches.restoreIndexes(personIndexes));
  await step('refreshRebuiltStatistics person', () => matches.refreshRebuiltStatistics('person'));
  await step('addressPeopleWithoutAccountEmail', () => matches.addressPeopleWithoutAccountEmail(incidentId));
  await step('locatePeopleByRecords', () => matches.locatePeopleByRecords(incidentId));
  await step('insertMembershipOrganizations', () => matches.insertMembershipOrganizations(incidentId));
  await step('addRecordOrganizations', () => matches.addRecordOrganizations(incidentId));
  await step('refreshRebuiltStatistics person_organization', () =>
    matches.refreshRebuiltStatistics('person_organization'),
  );
  await step('insertOrganizationPeople', () => matches.insertOrganizationPeople(incidentId));
  await step('refreshRebuiltStatistics organization_person', () =>
    matches.refreshRebuiltStatistics('organization_person'),
  );
  await step('putStamp', () => matches.putStamp(incidentId, stamp, clock.now().toISOString()));
  // The stored summary counted the people just replaced.
  await step('deleteSummary', () => summaries.delete(incidentId));
}

const PAGE = 1000;
const FOUND_LIMIT = 20;

export class ImpactService {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      incidents: IncidentService;
      box: SecretBox;
      /** One count per incident at a time: at a million people a count takes most of a minute. */
      flights: SingleFlight;
    } & Actor,
  ) {}

  /**
   * Runs the matching rules in the database, so a new dataset or directory import counts. Skipped
   * when the incident's stored matching was built from the same datasets, directory version and
   * rules: then it would rebuild the same rows. The inputs are read before the rebuild, so one that
   * lands meanwhile leaves an older stamp and the next call matches again.
   */
  async rematch(incidentId: string): Promise<void> {
    await this.deps.incidents.get(incidentId);
    await this.matchIfStale(incidentId);
  }

  /**
   * True when it rebuilt the matches, false when the stored ones were built from the same inputs.
   * Callers in one process that ask while a rebuild runs join it rather than rebuild again.
   */
  private matchIfStale(incidentId: string): Promise<boolean> {
    return this.deps.flights.run(`match:${incidentId}`, () => this.rebuildIfStale(incidentId));
  }

  private async rebuildIfStale(incidentId: string): Promise<boolean> {
    const { matches, directory } = this.deps.uow.repos;
    const [datasets, directoryVersion, stored] = await Promise.all([
      matches.datasetInputs(incidentId),
      directory.version(),
      matches.stampOf(incidentId),
    ]);
    const stamp = matchStamp({
      rules: MATCH_RULES,
      directoryVersion,
      datasets: datasets.map((d) => ({
        id: d.id,
        sha256: d.sha256,
        rowsRead: Number(d.rows_read),
        rowsValid: Number(d.rows_valid),
        orgKeys: d.org_keys,
      })),
    });
    if (stamp === stored) return false;
    await matches.refreshStatistics();
    await matches.bulkRebuild(() =>
      this.deps.uow.transaction((repos) =>
        rebuildMatches(repos, incidentId, { stamp, clock: this.deps.clock }),
      ),
    );
    return true;
  }

  /** Matches when stale and counts; unchanged inputs and a stored count: that count, one row read. */
  async analyze(incidentId: string): Promise<ImpactSummary> {
    const incident = await this.deps.incidents.get(incidentId);
    const stored = (await this.matchIfStale(incidentId))
      ? undefined
      : await this.deps.uow.repos.summaries.find(incidentId);
    if (!stored) return this.countOnce(incident);
    const summary = JSON.parse(stored.summary) as ImpactSummary;
    return {
      ...summary,
      incident: { id: incident.id, title: incident.title, vendor: incident.vendorName },
    };
  }

  /**
   * The last matching's counts, one row read: what a dashboard polls. Counted (not rematched) when
   * nothing is stored yet, or when a rematch (analyze, plan, people, report) replaced the people.
   */
  async summary(incidentId: string): Promise<ImpactSummary & { computedAt: string }> {
    const stored = await this.deps.uow.repos.summaries.find(incidentId);
    if (stored) return { ...(JSON.parse(stored.summary) as ImpactSummary), computedAt: stored.computed_at };
    const counted = await this.countOnce(await this.deps.incidents.get(incidentId));
    return { ...counted, computedAt: this.deps.clock.now().toISOString() };
  }

  /**
   * The shape of the impact for charts, as of the last matching: people by country, how many
   * impacted organizations have each number of impacted members, and the largest ones by name.
   */
  async breakdown(incidentId: string, largest = 10): Promise<ImpactBreakdown> {
    await this.deps.incidents.get(incidentId);
    const { impact } = this.deps.uow.repos;
    const [countries, sizes, organizations] = await Promise.all([
      impact.peopleByCountry(incidentId),
      impact.organizationSizes(incidentId),
      impact.largestOrganizations(incidentId, largest),
    ]);
    return {
      peopleByCountry: countries
        .map((row) => ({ country: row.country, people: Number(row.people) }))
        .sort((a, b) => b.people - a.people || (a.country ?? '').localeCompare(b.country ?? '')),
      organizationSizes: sizes
        .map((row) => ({ members: Number(row.members), organizations: Number(row.organizations) }))
        .sort((a, b) => a.members - b.members),
      largestOrganizations: organizations.map((row) => ({
        name: row.name,
        impactedMembers: Number(row.members),
      })),
    };
  }

  /** A count already running for the incident is joined, not started again beside it. */
  private countOnce(incident: Incident): Promise<ImpactSummary> {
    return this.deps.flights.run(`impact-count:${incident.id}`, () => this.count(incident));
  }

  /** Aggregates over the matched people, in SQL, kept as the incident's summary. */
  private async count(incident: Incident): Promise<ImpactSummary> {
    const incidentId = incident.id;
    const { datasets, impact } = this.deps.uow.repos;
    const [totals, kinds, categoryRow, { organizations, withAdmin, adminRecipients, recipients }] =
      await Promise.all([
        datasets.recordTotals(incidentId),
        impact.peopleByKind(incidentId),
        impact.categoryCounts(incidentId),
        impact.totals(incidentId),
      ]);
    const byKind = new Map(kinds.map((row) => [row.kind, Number(row.n)]));
    const people = {
      matched: byKind.get('matched') ?? 0,
      unmatchedContactable: byKind.get('unmatched_contactable') ?? 0,
      uncontactable: byKind.get('uncontactable') ?? 0,
    };
    const summary: ImpactSummary = {
      incident: { id: incident.id, title: incident.title, vendor: incident.vendorName },
      records: {
        read: Number(totals.read),
        valid: Number(totals.valid),
        quarantined: Number(totals.quarantined),
      },
      people: { total: people.matched + people.unmatchedContactable + people.uncontactable, ...people },
      organizations,
      organizationsWithoutAdmin: organizations - withAdmin,
      adminRecipients,
      recipients,
      categories: Object.fromEntries(
        CATEGORIES.map((category) => [category, Number(categoryRow[category] ?? 0)]),
      ) as Record<Category, number>,
    };
    await this.deps.uow.repos.summaries.put(
      incidentId,
      this.deps.clock.now().toISOString(),
      JSON.stringify(summary),
    );
    return summary;
  }

  /**
   * People at an address or with an account id, as of the last matching, with their organizations
   * and notice's status: one statement of index probes. The address is withheld from a caller who
   * may not read values.
   */
  async findPeople(incidentId: string, query: PersonQuery, caller: Caller): Promise<PersonFound[]> {
    if ('accountId' in query && query.accountId.trim().length === 0)
      throw new UserError('the account id must not be empty');
    const by =
      'address' in query
        ? { addressKey: this.deps.box.hash(normalizeEmail(query.address)) }
        : { accountId: query.accountId.trim() };
    const rows = await this.deps.uow.repos.personSearch.find(incidentId, by, FOUND_LIMIT);
    if (rows.length === 0) throw new UserError(`unknown incident ${incidentId}`, {}, 'not-found');
    const people = groupBy(
      rows.filter((row) => row.person_key !== null),
      (row) => row.person_key!,
    );
    const values = readsValues(caller);
    return [...people.keys()]
      .sort((a, b) => (a < b ? -1 : 1))
      .map((key) => {
        const found = people.get(key)!;
        const person = found[0]!;
        return {
          kind: person.kind!,
          accountId: person.account_id,
          address: values ? this.openAddress(person) : null,
          categories: categoriesOf(person.category_mask!).sort(),
          organizations: found
            .flatMap((row) => (row.organization_id === null ? [] : [row.organization_id]))
            .sort(),
          notice: person.notice_status
            ? {
                status: person.notice_status,
                sentAt: person.notice_sent_at,
                referenceCode: values ? person.notice_reference_code : null,
              }
            : null,
        };
      });
  }

  /** Every person, in key order, a page at a time: constant memory whatever the incident's size. */
  async *people(incidentId: string, caller: Caller): AsyncGenerator<PersonLine> {
    await this.rematch(incidentId);
    const values = readsValues(caller);
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'people.export', incidentId, { role: caller.role, addresses: values }),
    );
    const { impact } = this.deps.uow.repos;
    let after = '';
    for (;;) {
      const page = await impact.peoplePage(incidentId, after, PAGE);
      if (page.length === 0) return;
      const organizations = await impact.organizationsOf(
        incidentId,
        page.map((person) => person.person_key),
      );
      const orgsByPerson = groupBy(organizations, (row) => row.person_key);
      for (const person of page) {
        yield {
          email: values ? this.openAddress(person) : null,
          accountId: person.account_id,
          // Plain alphabetical order: the contract scripts compare against.
          categories: categoriesOf(person.category_mask).sort(),
          // Sorted here, not by the database, whose collation may differ between dialects.
          organizations: (orgsByPerson.get(person.person_key) ?? []).map((row) => row.organization_id).sort(),
        };
      }
      after = page[page.length - 1]!.person_key;
    }
  }

  private openAddress(person: { address: string | null; address_sealed: string | null }): string | null {
    return (
      person.address ?? (person.address_sealed === null ? null : this.deps.box.open(person.address_sealed))
    );
  }
}
