import { useState, type FormEvent } from 'react';
import { api, field, incidentPath } from '../api.js';
import { Problem, Table, when } from '../components/common.js';
import type { IncidentRow, PersonFound } from '../types.js';
import { useApi } from '../use-api.js';

/** An address or account id → that person's exposure and notice status (a POST: no address in a URL). */
export function SearchPage({ initialIncident }: { initialIncident: string | null }) {
  const incidents = useApi<IncidentRow[]>('/api/incidents');
  const [people, setPeople] = useState<PersonFound[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const incident = field(form, 'incident');
    const query = field(form, 'query').trim();
    setError(null);
    try {
      const body = query.includes('@') ? { address: query } : { accountId: query };
      const found = await api<{ people: PersonFound[] }>(
        'POST',
        incidentPath(incident, '/people/search'),
        body,
      );
      setPeople(found.people);
    } catch (failure) {
      setPeople(null);
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <>
      <h1>Person search</h1>
      <form className="inline-form" onSubmit={(event) => void search(event)}>
        <label htmlFor="incident">Incident</label>
        <select
          id="incident"
          name="incident"
          defaultValue={initialIncident ?? undefined}
          key={incidents.data?.length}
        >
          {(incidents.data ?? []).map((incident) => (
            <option key={incident.id} value={incident.id}>
              {incident.title} ({incident.vendor})
            </option>
          ))}
        </select>
        <label htmlFor="query">Address or account id</label>
        <input id="query" name="query" required maxLength={254} autoComplete="off" />
        <button type="submit">Search</button>
      </form>
      <Problem error={incidents.error ?? error} />
      {people !== null &&
        (people.length === 0 ? (
          <p role="status">Nobody with that address or account id is in this incident.</p>
        ) : (
          <Table
            caption="People found"
            head={['Kind', 'Account', 'Address', 'Exposed', 'Organizations', 'Notice', 'Reference']}
          >
            {people.map((person, index) => (
              <tr key={index}>
                <td>{person.kind}</td>
                <td>{person.accountId ?? '—'}</td>
                <td>{person.address ?? '(withheld)'}</td>
                <td>{person.categories.join(', ')}</td>
                <td>{person.organizations.join(', ') || '—'}</td>
                <td data-testid="person-notice">
                  {person.notice
                    ? `${person.notice.status} ${person.notice.sentAt ? when(person.notice.sentAt) : ''}`
                    : 'none'}
                </td>
                <td>
                  <code>{person.notice?.referenceCode ?? '—'}</code>
                </td>
              </tr>
            ))}
          </Table>
        ))}
    </>
  );
}
