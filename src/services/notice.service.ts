import { createHash } from 'node:crypto';
import { categoriesOf } from '../core/categories.js';
import { UserError } from '../core/errors.js';
import { groupBy } from '../core/group-by.js';
import { isPlausibleAddress, normalizeEmail } from '../core/identity.js';
import { renderNotice, type NoticeContent, type NoticeInput } from '../core/notice-content.js';
import { DEFAULT_LAYOUT, layoutLocales, type TemplateLibrary } from '../core/template-library.js';
import { chooseLocale } from '../core/template-locale.js';
import { chooseNoticeLayout, type LayoutRequirement } from '../core/notice-layout.js';
import { loadTemplates } from '../adapters/template-folder.js';
import type { CompanyConfig } from '../config.js';
import type { Repositories } from '../db/repositories.js';
import type { NoticeBodyTable, NoticeTable, NoticeStatus } from '../db/schema.js';
import { recordAudit } from './audit.js';
import { FLOW_SOURCE, recordEvent } from './timeline.js';
import { readsValues, type Caller } from './caller.js';
import type { ServiceDeps } from './service-deps.js';
import type { ImpactService } from './impact.service.js';
import type { Incident, IncidentService } from './incident.service.js';
import type { ObligationService } from './obligation.service.js';

export interface NoticeServiceDeps extends ServiceDeps {
  company: CompanyConfig;
  incidents: IncidentService;
  impact: ImpactService;
  /** Says where a law prescribes the notice's layout (California's "Notice of Data Breach"). */
  obligations: ObligationService;
  /** The notice templates; the ones shipped with the package when absent. */
  templates?: TemplateLibrary;
}

/**
 * Which templates render the notices: a library (else the service's) and a layout for every
 * notice; without one, each recipient gets the layout a law prescribes where they are, else `default`.
 */
export interface NoticeTemplateOptions {
  templates?: TemplateLibrary;
  layout?: string;
}

export interface PlanResult {
  recipients: number;
  added: number;
  alreadyPlanned: number;
  /** Notices added per layout. */
  layouts: Record<string, number>;
}

/** The library, and either one layout forced for all or the laws' layout requirements. */
type Rendering = {
  library: TemplateLibrary;
  forced: string | null;
  requirements: readonly LayoutRequirement[];
};

type Recipient = { addressKey: string; address: string };

const PAGE = 500;

export class NoticeService {
  constructor(private readonly deps: NoticeServiceDeps) {}

  /**
   * Freezes the recipients and renders each notice. Re-planning after a new dataset adds only the
   * new recipients: a planned notice is never replaced, so nobody is notified twice.
   */
  async plan(incidentId: string, options: NoticeTemplateOptions = {}): Promise<PlanResult> {
    const incident = await this.deps.incidents.get(incidentId);
    await this.deps.impact.rematch(incidentId);
    const templates = await this.rendering(incidentId, options);
    const result: PlanResult = { recipients: 0, added: 0, alreadyPlanned: 0, layouts: {} };
    const { repos } = this.deps.uow;
    let after = '';
    for (;;) {
      const page = await repos.impact.recipientPage(incidentId, after, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.addressKey;
      const usable = page.map((row) => this.recipient(row)).filter((recipient) => recipient !== null);
      const planned = await repos.notices.existingRecipients(
        incidentId,
        usable.map((recipient) => recipient.addressKey),
      );
      const fresh = usable.filter((recipient) => !planned.has(recipient.addressKey));
      const inputs = await this.compose(repos, incident, fresh, templates);
      const notices = fresh.map((recipient, i) =>
        this.noticeRow(incident, recipient, inputs[i]!, templates.library),
      );
      const inserted = notices.length > 0 ? await this.insertNotices(notices) : new Set<string>();
      const added = inserted.size;
      fresh.forEach((_recipient, i) => {
        if (!inserted.has(notices[i]!.row.id)) return;
        const layout = inputs[i]!.layout ?? DEFAULT_LAYOUT;
        result.layouts[layout] = (result.layouts[layout] ?? 0) + 1;
      });
      result.recipients += usable.length;
      result.added += added;
      result.alreadyPlanned += usable.length - added;
    }
    await this.deps.uow.transaction((tx) =>
      recordAudit(tx, this.deps, 'notices.plan', incidentId, { ...result }),
    );
    return result;
  }

  /**
   * Records who approved the plan: every planned notice not yet approved becomes sendable. The
   * audit entry carries a digest of their content hashes, so what was approved can be proven.
   */
  async approve(incidentId: string, by: string): Promise<{ approved: number; digest: string }> {
    await this.deps.incidents.get(incidentId);
    const approver = by.trim();
    if (approver.length === 0) throw new UserError('--by must name who approves');
    return this.deps.uow.transaction(async (repos) => {
      const hashes = await repos.notices.approvePending(
        incidentId,
        approver,
        this.deps.clock.now().toISOString(),
      );
      if (hashes.length === 0) {
        throw new UserError(
          `incident ${incidentId} has no planned notices awaiting approval: run notices plan first`,
          {},
          'conflict',
        );
      }
      const digest = createHash('sha256').update(hashes.join('\n')).digest('hex');
      await recordAudit(repos, this.deps, 'notices.approve', incidentId, {
        by: approver,
        approved: hashes.length,
        digest,
      });
      await recordEvent(repos, this.deps, incidentId, {
        type: 'notices_approved',
        occurredAt: this.deps.clock.now().toISOString(),
        source: FLOW_SOURCE,
        detail: { by: approver, approved: hashes.length, digest },
      });
      return { approved: hashes.length, digest };
    });
  }

  /**
   * Whether breachdesk sent the notice with this reference code to this address: genuine only once
   * the receiving server accepted it (sent, or bounced after that). An unknown code and a known code
   * for another address get the same answer, so codes cannot be probed; a notice to this address
   * not accepted yet is not genuine, with its status, so the reader can check again later.
   */
  async verify(
    referenceCode: string,
    address: string,
  ): Promise<{ genuine: boolean; sentAt: string | null; status: string | null }> {
    const code = referenceCode.trim().toUpperCase();
    const notice = await this.deps.uow.repos.notices.findByReference(code);
    const addressKey = this.deps.box.hash(normalizeEmail(address));
    if (!notice || notice.recipient_key !== addressKey) return { genuine: false, sentAt: null, status: null };
    const accepted = notice.sent_at !== null && (notice.status === 'sent' || notice.status === 'bounced');
    return { genuine: accepted, sentAt: accepted ? notice.sent_at : null, status: notice.status };
  }

  /** The public verify page's answer, with the company's official sending domains and contact. */
  async verifyForReader(referenceCode: string, address: string) {
    const { genuine, sentAt } = await this.verify(referenceCode, address);
    const { company } = this.deps;
    return {
      genuine,
      sentAt,
      company: company.name,
      officialDomains: company.sendingDomains,
      contactEmail: company.contactEmail,
    };
  }

  /** The planned notice for an address, or what it would say if planned now. */
  async preview(
    incidentId: string,
    address: string,
    options: NoticeTemplateOptions = {},
  ): Promise<NoticeContent & { status: NoticeStatus | 'unplanned' }> {
    const incident = await this.deps.incidents.get(incidentId);
    const addressKey = this.deps.box.hash(normalizeEmail(address));
    const { repos } = this.deps.uow;
    const planned = await repos.notices.findByRecipient(incidentId, addressKey);
    if (planned) {
      const [body] = await repos.notices.bodies([planned.id]);
      if (!body || body.text_sealed === null || body.html_sealed === null) {
        throw new UserError(`the notice to ${address} was purged with the incident's exposed values`);
      }
      return {
        subject: planned.subject,
        text: this.deps.box.open(body.text_sealed),
        html: this.deps.box.open(body.html_sealed),
        status: planned.status,
      };
    }
    await this.deps.impact.rematch(incidentId);
    const found = await repos.impact.findRecipient(incidentId, addressKey);
    const recipient = found ? this.recipient(found) : null;
    if (!recipient) {
      throw new UserError(`${address} is not a recipient of incident ${incidentId}`);
    }
    const templates = await this.rendering(incidentId, options);
    const [input] = await this.compose(repos, incident, [recipient], templates);
    return {
      ...renderNotice(
        { ...input!, referenceCode: 'XXXX-XXXX-XXXX (assigned when planned)' },
        templates.library,
      ),
      status: 'unplanned',
    };
  }

  /** Counts by status and the first problems; a problem's recipient is withheld from viewers. */
  async status(incidentId: string, caller: Caller) {
    await this.deps.incidents.get(incidentId);
    const { notices } = this.deps.uow.repos;
    const [counts, problems] = await Promise.all([
      notices.statusCounts(incidentId),
      notices.failures(incidentId, 100),
    ]);
    const byStatus: Record<NoticeStatus, number> = {
      queued: 0,
      sending: 0,
      sent: 0,
      deferred: 0,
      failed: 0,
      bounced: 0,
      dead: 0,
    };
    for (const row of counts) byStatus[row.status] = Number(row.n);
    const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
    return {
      total,
      ...byStatus,
      problems: problems.map(({ recipient_sealed, ...problem }) => ({
        recipient: !readsValues(caller)
          ? '(withheld)'
          : recipient_sealed === null
            ? '(purged)'
            : this.deps.box.open(recipient_sealed),
        ...problem,
      })),
    };
  }

  /** A recipient's address in clear: the directory's as stored, a dataset's opened only here. */
  private recipient(row: {
    addressKey: string;
    address: string | null;
    addressSealed: string | null;
  }): Recipient | null {
    const address = this.openAddress(row.address, row.addressSealed);
    return address !== null && isPlausibleAddress(address) ? { addressKey: row.addressKey, address } : null;
  }

  private openAddress(address: string | null, sealed: string | null): string | null {
    return address ?? (sealed === null ? null : this.deps.box.open(sealed));
  }

  /** The shipped templates, read and checked once per service. */
  private shipped: TemplateLibrary | undefined;

  /**
   * The library and the layout rule to render with. A forced layout, and a layout a law requires
   * here, must exist in the library: refused before anything is planned.
   */
  private async rendering(incidentId: string, options: NoticeTemplateOptions): Promise<Rendering> {
    const library = options.templates ?? this.deps.templates ?? (this.shipped ??= loadTemplates());
    const forced = options.layout ?? null;
    const requirements =
      forced === null ? (await this.deps.obligations.layoutRequirements(incidentId)).requirements : [];
    for (const layout of [forced ?? DEFAULT_LAYOUT, ...requirements.map((r) => r.layout)]) {
      if (library.layouts.has(layout)) continue;
      const why =
        forced === null && layout !== DEFAULT_LAYOUT
          ? ', which the law where some recipients are located requires'
          : '';
      throw new UserError(`no template layout "${layout}"${why}`, {
        layouts: [...library.layouts.keys()].join(', '),
      });
    }
    return { library, forced, requirements };
  }

  /** A page of notices with their bodies, in one transaction: a notice never exists without its body. */
  private insertNotices(notices: { row: NoticeTable; body: NoticeBodyTable }[]): Promise<Set<string>> {
    return this.deps.uow.transaction(async (repos) => {
      const inserted = new Set(await repos.notices.insertNew(notices.map((notice) => notice.row)));
      const bodies = notices.filter((notice) => inserted.has(notice.row.id)).map((notice) => notice.body);
      if (bodies.length > 0) await repos.notices.insertBodies(bodies);
      return inserted;
    });
  }

  private noticeRow(incident: Incident, recipient: Recipient, input: NoticeInput, library: TemplateLibrary) {
    const id = this.deps.ids.next('ntc');
    const referenceCode = this.deps.ids.referenceCode();
    const content = renderNotice({ ...input, referenceCode }, library);
    const domain = this.deps.company.fromAddress.split('@')[1] ?? 'localhost';
    const row: NoticeTable = {
      id,
      incident_id: incident.id,
      recipient_sealed: this.deps.box.seal(recipient.address),
      recipient_key: recipient.addressKey,
      recipient_domain: normalizeEmail(recipient.address).split('@')[1] ?? '',
      reference_code: referenceCode,
      subject: content.subject,
      content_hash: createHash('sha256')
        .update(content.subject)
        .update('\0')
        .update(content.text)
        .update('\0')
        .update(content.html)
        .digest('hex'),
      message_id: `<${id}.${incident.id}@${domain}>`,
      status: 'queued',
      approved_by: null,
      approved_at: null,
      attempts: 0,
      next_attempt_at: null,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      sent_at: null,
      created_at: this.deps.clock.now().toISOString(),
    };
    const body: NoticeBodyTable = {
      notice_id: id,
      text_sealed: this.deps.box.seal(content.text),
      html_sealed: this.deps.box.seal(content.html),
    };
    return { row, body };
  }

  /** Gathers each recipient's personal exposure and administered organizations, three queries a page. */
  private async compose(
    repos: Repositories,
    incident: Incident,
    page: readonly Recipient[],
    templates: Rendering,
  ): Promise<NoticeInput[]> {
    if (page.length === 0) return [];
    const keys = page.map((recipient) => recipient.addressKey);
    const [people, administered] = await Promise.all([
      repos.impact.peopleAt(incident.id, keys),
      repos.impact.administeredOrganizations(incident.id, keys),
    ]);
    const orgIds = [...new Set(administered.map((row) => row.id))];
    const members = orgIds.length > 0 ? await repos.impact.organizationMembers(incident.id, orgIds) : [];
    const peopleByAddress = groupBy(people, (row) => row.address_key);
    const orgsByAdmin = groupBy(administered, (row) => row.addressKey);
    const membersByOrg = groupBy(members, (row) => row.organization_id);
    const { company } = this.deps;
    return page.map((recipient) => {
      const own = peopleByAddress.get(recipient.addressKey) ?? [];
      const orgs = orgsByAdmin.get(recipient.addressKey) ?? [];
      const mask = own.reduce((union, person) => union | person.category_mask, 0);
      const layout =
        templates.forced ??
        chooseNoticeLayout(
          own.map((person) => ({
            country: person.country,
            region: person.region,
            categoryMask: person.category_mask,
          })),
          templates.requirements,
          DEFAULT_LAYOUT,
        ).layout;
      const name =
        own.find((person) => person.name)?.name ?? orgs.find((org) => org.adminName)?.adminName ?? null;
      return {
        company: {
          name: company.name,
          contactEmail: company.contactEmail,
          contactUrl: company.contactUrl,
          sendingDomains: company.sendingDomains,
          verifyUrl: company.verifyUrl,
        },
        incident: {
          vendorName: incident.vendorName,
          title: incident.title,
          awareAt: incident.awareAt,
          openedAt: incident.openedAt,
          exposed: incident.exposed,
          notExposed: incident.notExposed,
        },
        recipient: { address: recipient.address, name },
        personal: own.length > 0 ? { categories: categoriesOf(mask) } : null,
        organizations: orgs.map((org) => {
          const list = membersByOrg.get(org.id) ?? [];
          return {
            id: org.id,
            name: org.name,
            impactedMembers: list.length,
            members: list.map((member) => ({
              label:
                this.openAddress(member.address, member.address_sealed) ??
                member.account_id ??
                'a person the vendor knew only by an anonymous id',
              categories: categoriesOf(member.category_mask),
            })),
          };
        }),
        referenceCode: '',
        // The person's own account locale, else the admin account's; unmatched people get the default.
        locale: chooseLocale(
          own.find((person) => person.locale)?.locale ?? orgs.find((org) => org.adminLocale)?.adminLocale,
          layoutLocales(templates.library, layout),
        ),
        layout,
      };
    });
  }
}
