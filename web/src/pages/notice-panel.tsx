import { useEffect, useState } from 'react';
import { api, incidentPath } from '../api.js';
import { Problem, Section } from '../components/common.js';
import type { NoticeStatus, Role } from '../types.js';
import { useApi } from '../use-api.js';

const POLL_MS = 1000;
const STATES = ['queued', 'sending', 'deferred', 'sent', 'failed', 'bounced', 'dead'] as const;

/** The notice plan: approve (admin), start a send pass (responder), watch it finish. */
export function NoticePanel({ incidentId, role }: { incidentId: string; role: Role }) {
  const status = useApi<NoticeStatus>(incidentPath(incidentId, '/notices'));
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [watching, setWatching] = useState(false);
  const data = status.data;
  const pending = data ? data.queued + data.sending + data.deferred : 0;
  const { reload } = status;
  useEffect(() => {
    if (!watching) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [watching, reload]);
  useEffect(() => {
    if (watching && data && data.sending === 0 && data.queued === 0) setWatching(false);
  }, [watching, data]);

  const act = async (what: 'approve' | 'send') => {
    setError(null);
    try {
      if (what === 'approve') {
        const approved = await api<{ approved: number; digest: string }>(
          'POST',
          incidentPath(incidentId, '/notices/approve'),
        );
        setMessage(`Approved ${approved.approved} notices (plan digest ${approved.digest.slice(0, 16)}…).`);
      } else {
        await api('POST', incidentPath(incidentId, '/notices/send'));
        setMessage('Send pass started.');
        setWatching(true);
      }
      reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const done = data ? data.total - pending : 0;
  return (
    <Section title="Notices" id="notices">
      <Problem error={status.error ?? error} />
      {data && (
        <>
          <p>
            <progress max={Math.max(1, data.total)} value={done} aria-label="Notices finished" />{' '}
            <span data-testid="notice-progress">
              {done} of {data.total} finished
              {data.total > 0 && pending === 0 ? ' — delivery done' : ''}
            </span>
          </p>
          <dl className="counts">
            {STATES.map((state) => (
              <div key={state}>
                <dt>{state}</dt>
                <dd data-testid={`notices-${state}`}>{data[state]}</dd>
              </div>
            ))}
          </dl>
          {data.problems.length > 0 && (
            <ul className="problems">
              {data.problems.map((problem, index) => (
                <li key={index}>
                  {problem.recipient}: {problem.status} after {problem.attempts} attempts
                  {problem.last_error ? ` (${problem.last_error})` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <div className="actions">
        {role === 'admin' && (
          <button type="button" onClick={() => void act('approve')}>
            Approve notices
          </button>
        )}
        {role !== 'viewer' && (
          <button type="button" onClick={() => void act('send')} disabled={watching}>
            Start sending
          </button>
        )}
      </div>
      {message && <p role="status">{message}</p>}
    </Section>
  );
}
