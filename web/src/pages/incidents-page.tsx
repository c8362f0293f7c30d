import { Loading, Problem, Table, when } from '../components/common.js';
import { Link } from '../router.js';
import type { IncidentRow } from '../types.js';
import { useApi } from '../use-api.js';

export function IncidentsPage() {
  const incidents = useApi<IncidentRow[]>('/api/incidents');
  return (
    <>
      <h1>Incidents</h1>
      <Problem error={incidents.error} />
      {incidents.data === null ? (
        <Loading what="incidents" />
      ) : incidents.data.length === 0 ? (
        <p>
          No incidents yet. Open one with <code>breachdesk incident open</code>.
        </p>
      ) : (
        <Table caption="Incidents, newest first" head={['Incident', 'Vendor', 'Status', 'Opened']}>
          {incidents.data.map((incident) => (
            <tr key={incident.id}>
              <td>
                <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{incident.title}</Link>
              </td>
              <td>{incident.vendor}</td>
              <td>{incident.status}</td>
              <td>{when(incident.opened_at)}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
