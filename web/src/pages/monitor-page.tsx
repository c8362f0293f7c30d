import { Loading, Problem, Table, when } from '../components/common.js';
import type { InboxEntry } from '../types.js';
import { useApi } from '../use-api.js';

/** Reported messages and bounces with the scanner's verdict and its reasons; never a body. */
export function MonitorPage() {
  const inbox = useApi<InboxEntry[]>('/api/monitor/inbox?limit=100');
  return (
    <>
      <h1>Monitor</h1>
      <Problem error={inbox.error} />
      {inbox.data === null ? (
        !inbox.error && <Loading what="the monitor feed" />
      ) : inbox.data.length === 0 ? (
        <p>No reported messages yet.</p>
      ) : (
        <Table
          caption="Reported messages, newest first"
          head={['Received', 'Kind', 'From domain', 'Verdict', 'Reasons']}
        >
          {inbox.data.map((entry) => (
            <tr key={entry.id}>
              <td>{when(entry.receivedAt)}</td>
              <td>{entry.kind}</td>
              <td>{entry.fromDomain ?? '—'}</td>
              <td className={entry.verdict === 'phishing' ? 'bad' : undefined}>
                {entry.verdict ?? entry.bounce ?? '—'}
                {entry.score === null ? '' : ` (${entry.score})`}
              </td>
              <td>
                <ul className="reasons">
                  {entry.reasons.map((reason) => (
                    <li key={reason.code}>{reason.sentence}</li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
