import type { SecretBox } from '../adapters/secret-box.js';
import { csvLine } from '../core/csv-format.js';
import type { UnitOfWork } from '../db/repositories.js';
import { recordAudit, type Actor } from './audit.js';
import { readsValues, type Caller } from './caller.js';
import type { ImpactService } from './impact.service.js';
import type { IncidentService } from './incident.service.js';

export type ExportFormat = 'csv' | 'json';

/** An export: a file name and its text, produced a line at a time so memory stays flat. */
export interface ExportFile {
  fileName: string;
  contentType: string;
  lines: AsyncIterable<string> | Iterable<string>;
}

const PAGE = 1000;

/**
 * People and notices as CSV (formula-neutralized cells) or a JSON array. Addresses are left out
 * for a caller who may not read values; every export is an audit entry.
 */
export class ExportService {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      box: SecretBox;
      incidents: IncidentService;
      impact: ImpactService;
    } & Actor,
  ) {}

  /** Checks the incident before anything is streamed, so a mistake is an error, not a cut file. */
  async people(incidentId: string, format: ExportFormat, caller: Caller): Promise<ExportFile> {
    await this.deps.incidents.get(incidentId);
    const values = readsValues(caller);
    const people = this.deps.impact.people(incidentId, caller);
    const header = [...(values ? ['email'] : []), 'accountId', 'categories', 'organizations'];
    const rows = (async function* () {
      for await (const person of people) {
        yield format === 'csv'
          ? [
              ...(values ? [person.email] : []),
              person.accountId,
              person.categories.join(';'),
              person.organizations.join(';'),
            ]
          : {
              ...(values ? { email: person.email } : {}),
              accountId: person.accountId,
              categories: person.categories,
              organizations: person.organizations,
            };
      }
    })();
    return exportFile(`${incidentId}-people`, format, header, rows);
  }

  async notices(incidentId: string, format: ExportFormat, caller: Caller): Promise<ExportFile> {
    await this.deps.incidents.get(incidentId);
    const values = readsValues(caller);
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, this.deps, 'notices.export', incidentId, {
        format,
        role: caller.role,
        addresses: values,
      }),
    );
    const { notices } = this.deps.uow.repos;
    const { box } = this.deps;
    const header = [
      'id',
      'referenceCode',
      ...(values ? ['recipient'] : []),
      'recipientDomain',
      'status',
      'attempts',
      'approvedBy',
      'approvedAt',
      'sentAt',
      'lastError',
    ];
    const rows = (async function* () {
      let after = '';
      for (;;) {
        const page = await notices.exportPage(incidentId, after, PAGE);
        if (page.length === 0) return;
        for (const notice of page) {
          const recipient = notice.recipient_sealed === null ? null : box.open(notice.recipient_sealed);
          const record = {
            id: notice.id,
            referenceCode: notice.reference_code,
            ...(values ? { recipient } : {}),
            recipientDomain: notice.recipient_domain,
            status: notice.status,
            attempts: notice.attempts,
            approvedBy: notice.approved_by,
            approvedAt: notice.approved_at,
            sentAt: notice.sent_at,
            lastError: notice.last_error,
          };
          yield format === 'csv' ? Object.values(record) : record;
        }
        after = page[page.length - 1]!.id;
      }
    })();
    return exportFile(`${incidentId}-notices`, format, header, rows);
  }
}

type Cell = string | number | null;

function exportFile(
  name: string,
  format: ExportFormat,
  header: string[],
  rows: AsyncIterable<Cell[] | Record<string, unknown>>,
): ExportFile {
  return format === 'csv'
    ? { fileName: `${name}.csv`, contentType: 'text/csv; charset=utf-8', lines: csvLines(header, rows) }
    : { fileName: `${name}.json`, contentType: 'application/json; charset=utf-8', lines: jsonLines(rows) };
}

async function* csvLines(header: string[], rows: AsyncIterable<Cell[] | Record<string, unknown>>) {
  yield `${csvLine(header)}\r\n`;
  for await (const row of rows) yield `${csvLine(row as Cell[])}\r\n`;
}

/** A JSON array, one element per line. */
async function* jsonLines(rows: AsyncIterable<unknown>) {
  let first = true;
  yield '[';
  for await (const row of rows) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
    first = false;
  }
  yield '\n]\n';
}
