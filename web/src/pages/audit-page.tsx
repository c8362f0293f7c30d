import { incidentPath } from '../api.js';
import { Loading, Problem, Table, when } from '../components/common.js';
import type { AuditEntry, Role } from '../types.js';
import { useApi } from '../use-api.js';

/** The audit log: everything (admins) or one incident's entries (anyone signed in). */
export function AuditPage({ incident, role }: { incident: string | null; role: Role }) {
  const path = incident ? incidentPath(incident, '/audit') : role === 'admin' ? '/api/audit' : null;
  const entries = useApi<AuditEntry[]>(path);
  return (
    <>
      <h1>Audit log{incident ? ' of the incident' : ''}</h1>
      {path === null && <p>Only admins see the whole log; open an incident to see its own entries.</p>}
      <Problem error={entries.error} />
      {path !== null && entries.data === null && !entries.error && <Loading what="the audit log" />}
      {entries.data && (
        <Table caption="Audit entries" head={['#', 'When', 'Who', 'What', 'Detail']}>
          {entries.data.map((entry) => (
            <tr key={entry.id}>
              <td>{entry.id}</td>
              <td>{when(entry.at)}</td>
              <td>{entry.actor}</td>
              <td>{entry.action}</td>
              <td>
                <code className="detail">{JSON.stringify(entry.detail)}</code>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
