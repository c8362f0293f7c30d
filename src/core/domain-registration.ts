/** One lookup's outcome: the records found, or the DNS error code (`ENOTFOUND`, `ENODATA`…). */
export type LookupOutcome = { records: string[] } | { error: string };

export interface DnsAnswers {
  ns: LookupOutcome;
  /** Absent when NS already proved the name does not exist. */
  a?: LookupOutcome;
  aaaa?: LookupOutcome;
  mx?: LookupOutcome;
}

export type RegistrationStatus = 'registered' | 'unregistered' | 'unknown';

export interface Registration {
  status: RegistrationStatus;
  reason: string;
  ns: string[];
  a: string[];
  aaaa: string[];
  mx: string[];
}

const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);
const TYPES = ['ns', 'a', 'aaaa', 'mx'] as const;

/**
 * Whether a lookalike is in use, from its DNS answers: registered when any of NS, A, AAAA or MX
 * has a record; unregistered when every lookup said the name or type does not exist; unknown
 * when a lookup failed otherwise (timeout, server failure), since silence is not absence.
 */
export function registrationOf(answers: DnsAnswers): Registration {
  const records = (type: (typeof TYPES)[number]): string[] => {
    const outcome = answers[type];
    return outcome && 'records' in outcome ? outcome.records : [];
  };
  const found = { ns: records('ns'), a: records('a'), aaaa: records('aaaa'), mx: records('mx') };
  const withRecords = TYPES.filter((type) => found[type].length > 0);
  if (withRecords.length > 0) {
    return {
      status: 'registered',
      reason: `has ${withRecords.map((t) => t.toUpperCase()).join(', ')}`,
      ...found,
    };
  }
  const failed = TYPES.flatMap((type) => {
    const outcome = answers[type];
    return outcome && 'error' in outcome && !ABSENT.has(outcome.error)
      ? [`${type.toUpperCase()} ${outcome.error}`]
      : [];
  });
  if (failed.length > 0)
    return { status: 'unknown', reason: `lookup failed: ${failed.join(', ')}`, ...found };
  const nxdomain = 'error' in answers.ns && answers.ns.error === 'ENOTFOUND';
  return {
    status: 'unregistered',
    reason: nxdomain ? 'no such domain' : 'no NS, A, AAAA or MX record',
    ...found,
  };
}
