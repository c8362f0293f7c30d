import type { SecretBox } from '../adapters/secret-box.js';
import { CATEGORIES, categoriesOf, type Category } from '../core/categories.js';
import { groupBy } from '../core/group-by.js';
import type { UnitOfWork } from '../db/repositories.js';
import { recordAudit, type Actor } from './audit.js';
import type { IncidentService } from './incident.service.js';

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

const PAGE = 1000;

export class ImpactService {
  constructor(
    private readonly deps: { uow: UnitOfWork; incidents: IncidentService; box: SecretBox } & Actor,
  ) {}

  /** Re-runs the matching rules in the database, so a new dataset or directory import counts. */
  async rematch(incidentId: string): Promise<void> {
    await this.deps.incidents.get(incidentId);
    await this.deps.uow.repos.matches.refreshStatistics();
    await this.deps.uow.transaction(async ({ matches }) => {
      await matches.deleteMatches(incidentId);
      await matches.matchDirectly(incidentId);
      await matches.matchBySiblingUserId(incidentId);
      await matches.adoptSiblingEmail(incidentId);
      await matches.deletePersonOrganizations(incidentId);
      await matches.deletePeople(incidentId);
      await matches.insertMatchedPeople(incidentId);
      await matches.insertUnmatchedPeople(incidentId);
      await matches.locatePeopleByRecords(incidentId);
      await matches.locatePeopleByDirectory(incidentId);
      await matches.insertPersonOrganizations(incidentId);
    });
  }

  async analyze(incidentId: string): Promise<ImpactSummary> {
    const incident = await this.deps.incidents.get(incidentId);
    await this.rematch(incidentId);
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
    return {
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
  }

  /** Every person, in key order, a page at a time: constant memory whatever the incident's size. */
  async *people(incidentId: string): AsyncGenerator<PersonLine> {
    await this.rematch(incidentId);
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'people.export', incidentId, {}),
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
          email:
            person.address ??
            (person.address_sealed === null ? null : this.deps.box.open(person.address_sealed)),
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
}
