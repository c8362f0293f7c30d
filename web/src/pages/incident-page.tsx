import { useState } from 'react';
import { api, incidentPath } from '../api.js';
import { BarChart } from '../components/bar-chart.js';
import { Loading, Problem, Section, Table, when } from '../components/common.js';
import { Link } from '../router.js';
import type {
  Breakdown,
  Dataset,
  Decision,
  Incident,
  ObligationReport,
  QuarantinedRow,
  Role,
  Summary,
  TimelineEvent,
} from '../types.js';
import { useApi } from '../use-api.js';
import { NoticePanel } from './notice-panel.js';

const QUARANTINE_SHOWN = 50;

export function IncidentPage({ id, role }: { id: string; role: Role }) {
  const incident = useApi<Incident>(incidentPath(id));
  if (incident.error) return <Problem error={incident.error} />;
  if (!incident.data) return <Loading what="the incident" />;
  const data = incident.data;
  return (
    <>
      <h1>{data.title}</h1>
      <p className="lede">
        Vendor <strong>{data.vendorName}</strong> · status {data.status} · aware {when(data.awareAt)} · opened{' '}
        {when(data.openedAt)}
      </p>
      <p>
        Exposed: {data.exposed.join(', ') || 'none recorded'}. Not exposed:{' '}
        {data.notExposed.join(', ') || '—'}.
      </p>
      <nav aria-label="On this incident" className="subnav">
        <Link to={`/search?incident=${encodeURIComponent(id)}`}>Search a person</Link>
        <Link to={`/audit?incident=${encodeURIComponent(id)}`}>Audit log</Link>
      </nav>
      <Impact id={id} />
      <NoticePanel incidentId={id} role={role} />
      <Datasets id={id} />
      <Record id={id} />
      {role !== 'viewer' && <Obligations id={id} />}
    </>
  );
}

function Impact({ id }: { id: string }) {
  const summary = useApi<Summary>(incidentPath(id, '/summary'));
  const breakdown = useApi<Breakdown>(incidentPath(id, '/breakdown'));
  const s = summary.data;
  const b = breakdown.data;
  return (
    <Section title="Impact" id="impact">
      <Problem error={summary.error ?? breakdown.error} />
      {s && (
        <>
          <dl className="counts">
            <Count label="people" value={s.people.total} />
            <Count label="matched to accounts" value={s.people.matched} />
            <Count label="unmatched, contactable" value={s.people.unmatchedContactable} />
            <Count label="uncontactable" value={s.people.uncontactable} />
            <Count label="organizations" value={s.organizations} />
            <Count label="organizations without an admin" value={s.organizationsWithoutAdmin} />
            <Count label="recipients" value={s.recipients} />
            <Count label="records quarantined" value={s.records.quarantined} />
          </dl>
          <p className="muted">As of the last matching, {when(s.computedAt)}.</p>
        </>
      )}
      <div className="charts">
        {s && (
          <BarChart
            title="People by exposed category"
            unit="people"
            bars={Object.entries(s.categories)
              .filter(([, value]) => value > 0)
              .sort((x, y) => y[1] - x[1])
              .map(([label, value]) => ({ label, value }))}
          />
        )}
        {b && (
          <>
            <BarChart
              title="People by country"
              unit="people"
              bars={b.peopleByCountry.slice(0, 12).map((row) => ({
                label: row.country ?? 'unknown',
                value: row.people,
              }))}
            />
            <BarChart
              title="Organizations by impacted members"
              unit="organizations"
              bars={b.organizationSizes.map((row) => ({
                label: `${row.members} member${row.members === 1 ? '' : 's'}`,
                value: row.organizations,
              }))}
            />
            <BarChart
              title="Largest impacted organizations"
              unit="impacted members"
              bars={b.largestOrganizations.map((row) => ({ label: row.name, value: row.impactedMembers }))}
            />
          </>
        )}
      </div>
    </Section>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value.toLocaleString('en')}</dd>
    </div>
  );
}

function Datasets({ id }: { id: string }) {
  const datasets = useApi<Dataset[]>(incidentPath(id, '/datasets'));
  const quarantine = useApi<QuarantinedRow[]>(incidentPath(id, `/quarantine?limit=${QUARANTINE_SHOWN}`));
  return (
    <Section title="Datasets and quarantine" id="datasets">
      <Problem error={datasets.error ?? quarantine.error} />
      {datasets.data && (
        <Table
          caption="Datasets"
          head={['File', 'Format', 'Rows', 'Valid', 'Quarantined', 'SHA-256', 'Imported']}
        >
          {datasets.data.map((dataset) => (
            <tr key={dataset.id}>
              <td>{dataset.fileName}</td>
              <td>{dataset.format}</td>
              <td>{dataset.rowsRead}</td>
              <td>{dataset.rowsValid}</td>
              <td>{dataset.rowsQuarantined}</td>
              <td>
                <code>{dataset.sha256.slice(0, 12)}…</code>
              </td>
              <td>
                {when(dataset.importedAt)} by {dataset.importedBy}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {quarantine.data && quarantine.data.length > 0 && (
        <Table
          caption={`Quarantined rows (first ${QUARANTINE_SHOWN}; values never shown)`}
          head={['File', 'Line', 'Byte', 'Field', 'Reason']}
        >
          {quarantine.data.map((row, index) => (
            <tr key={index}>
              <td>{row.file_name}</td>
              <td>{row.line ?? '—'}</td>
              <td>{row.byte_offset ?? '—'}</td>
              <td>{row.field ?? '—'}</td>
              <td>{row.reason}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

function Record({ id }: { id: string }) {
  const timeline = useApi<TimelineEvent[]>(incidentPath(id, '/timeline'));
  const decisions = useApi<Decision[]>(incidentPath(id, '/decisions'));
  return (
    <Section title="Timeline and decisions" id="timeline">
      <Problem error={timeline.error ?? decisions.error} />
      {timeline.data && (
        <ol className="timeline">
          {timeline.data.map((event) => (
            <li key={event.id}>
              <time dateTime={event.occurredAt}>{when(event.occurredAt)}</time> <strong>{event.type}</strong>{' '}
              ({event.source}){event.note ? ` — ${event.note}` : ''}
            </li>
          ))}
        </ol>
      )}
      {decisions.data && decisions.data.length > 0 && (
        <Table caption="Decisions" head={['When', 'Who', 'Decision', 'Why']}>
          {decisions.data.map((decision) => (
            <tr key={decision.id}>
              <td>{when(decision.decidedAt)}</td>
              <td>{decision.decidedBy}</td>
              <td>{decision.decision}</td>
              <td>{decision.reason}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

function Obligations({ id }: { id: string }) {
  const [report, setReport] = useState<ObligationReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const assess = async () => {
    try {
      setReport(await api<ObligationReport>('POST', incidentPath(id, '/obligations')));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <Section title="Obligations" id="obligations">
      <Problem error={error} />
      <button type="button" onClick={() => void assess()}>
        Assess obligations
      </button>
      {report && (
        <>
          <p className="muted">{report.disclaimer}</p>
          {report.obligations.length === 0 ? (
            <p>No jurisdiction's breach law applies to the located people.</p>
          ) : (
            <Table
              caption="Obligations by jurisdiction"
              head={['Law', 'Status', 'Affected', 'Deadline', 'Why']}
            >
              {report.obligations.map((obligation) => (
                <tr key={obligation.jurisdiction}>
                  <td>
                    {obligation.name} <span className="muted">{obligation.citation}</span>
                  </td>
                  <td>{obligation.status}</td>
                  <td>
                    {obligation.affected} of {obligation.residents}
                  </td>
                  <td>{obligation.countdown ?? '—'}</td>
                  <td>{obligation.reasons.join(' ')}</td>
                </tr>
              ))}
            </Table>
          )}
        </>
      )}
    </Section>
  );
}
