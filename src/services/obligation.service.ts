import type { Clock } from '../adapters/clock.js';
import {
  assessObligations,
  ruleBookAt,
  type Obligation,
  type ObligationAssessment,
  type ObligationFacts,
} from '../core/assess-obligations.js';
import { countdown } from '../core/countdown.js';
import { isTimeZone } from '../core/deadline.js';
import type { LayoutRequirement } from '../core/notice-layout.js';
import { UserError } from '../core/errors.js';
import { OBLIGATION_RULE_BOOKS } from '../core/obligation-rules.js';
import type { UnitOfWork } from '../db/repositories.js';
import { recordAudit, type Actor } from './audit.js';
import type { ImpactService } from './impact.service.js';
import { parseInstant, type IncidentService } from './incident.service.js';

export const DISCLAIMER = 'Decision support, not legal advice.';

/** Facts the incident does not store; each defaults to the cautious reading. */
export interface AssessInput {
  /** The clock to count down against (ISO-8601); default now. */
  at?: string | undefined;
  /** The exposed data was encrypted and the key not exposed; default false. */
  encrypted?: boolean | undefined;
  /** The data was taken without authorization; default true. */
  unauthorized?: boolean | undefined;
  /** The company's IANA time zone; default UTC. */
  timeZone?: string | undefined;
}

export interface ObligationReport extends Omit<ObligationAssessment, 'obligations'> {
  disclaimer: string;
  incident: { id: string; title: string; vendor: string };
  /** Where awareness came from: the incident's `--aware-at`, else the time it was opened. */
  awarenessFrom: 'aware_at' | 'opened_at';
  now: string;
  obligations: (Obligation & { countdown: string | null })[];
}

export class ObligationService {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      clock: Clock;
      incidents: IncidentService;
      impact: ImpactService;
    } & Actor,
  ) {}

  /** Who must be told what, by when, per jurisdiction, from where the affected people are. */
  async assess(incidentId: string, input: AssessInput = {}): Promise<ObligationReport> {
    const incident = await this.deps.incidents.get(incidentId);
    const timeZone = input.timeZone?.trim() || 'UTC';
    if (!isTimeZone(timeZone)) throw new UserError(`--time-zone: "${timeZone}" is not an IANA time zone`);
    const now = input.at === undefined ? this.deps.clock.now() : new Date(parseInstant(input.at, '--at'));
    await this.deps.impact.rematch(incidentId);
    const assessment = await this.evaluate(incidentId, {
      awareAt: new Date(incident.awareAt ?? incident.openedAt),
      unauthorized: input.unauthorized ?? true,
      encrypted: input.encrypted ?? false,
      timeZone,
    });
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'obligations.assess', incidentId, {
        ruleVersion: assessment.ruleVersion,
        facts: assessment.facts,
        statuses: Object.fromEntries(assessment.obligations.map((o) => [o.jurisdiction, o.status])),
      }),
    );
    return {
      disclaimer: DISCLAIMER,
      incident: { id: incident.id, title: incident.title, vendor: incident.vendorName },
      awarenessFrom: incident.awareAt === null ? 'opened_at' : 'aware_at',
      now: now.toISOString(),
      ...assessment,
      obligations: assessment.obligations.map((obligation) => ({
        ...obligation,
        countdown: countdown(obligation.deadline?.at ?? null, now),
      })),
    };
  }

  /**
   * The jurisdictions whose law, assessed on the cautious reading (taken without authorization, not
   * encrypted), requires individual notice in a layout of its own. For notices plan, which has
   * just rematched: no rematch here, and no audit entry of its own (the plan's records the result).
   */
  async layoutRequirements(
    incidentId: string,
  ): Promise<{ ruleVersion: string; requirements: LayoutRequirement[] }> {
    const incident = await this.deps.incidents.get(incidentId);
    const awareAt = new Date(incident.awareAt ?? incident.openedAt);
    const assessment = await this.evaluate(incidentId, {
      awareAt,
      unauthorized: true,
      encrypted: false,
      timeZone: 'UTC',
    });
    const { book } = ruleBookAt(OBLIGATION_RULE_BOOKS, awareAt);
    const requiresIndividualNotice = (jurisdiction: string) =>
      assessment.obligations.some(
        (obligation) =>
          obligation.jurisdiction === jurisdiction &&
          obligation.notifications.some((n) => n.recipient === 'individuals' && n.status === 'required'),
      );
    const requirements = book.rules.flatMap((rule) =>
      rule.noticeLayout !== undefined && requiresIndividualNotice(rule.jurisdiction)
        ? [
            {
              jurisdiction: rule.jurisdiction,
              layout: rule.noticeLayout,
              personalData: rule.personalData,
              citation: rule.citation,
            },
          ]
        : [],
    );
    return { ruleVersion: assessment.ruleVersion, requirements };
  }

  private async evaluate(incidentId: string, facts: ObligationFacts): Promise<ObligationAssessment> {
    const groups = await this.deps.uow.repos.obligations.placeGroups(incidentId);
    return assessObligations(
      OBLIGATION_RULE_BOOKS,
      facts,
      groups.map((group) => ({
        country: group.country,
        region: group.region,
        categoryMask: group.category_mask,
        people: Number(group.people),
      })),
    );
  }
}
