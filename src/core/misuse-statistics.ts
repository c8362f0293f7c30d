import { fisherExact, type FisherResult } from './fisher-exact.js';

/** Counts for one group of addresses: how many there are, how many phishing reached, in how many messages. */
export interface GroupCounts {
  /** Distinct addresses in the group (the denominator). */
  addresses: number;
  /** Distinct addresses of the group that at least one phishing message was addressed to. */
  targeted: number;
  /** Distinct phishing messages addressed to at least one address of the group. */
  messages: number;
}

export interface MisuseCounts {
  leaked: GroupCounts;
  /** The rest of the directory: account addresses not in the leaked set. */
  rest: GroupCounts;
}

export type MisuseConclusion = 'misuse_likely' | 'no_evidence' | 'insufficient_data';

export interface MisuseStatistics {
  /** Share of each group's addresses that were targeted. */
  targetedShare: { leaked: number | null; rest: number | null };
  /** leaked share ÷ rest share; null when either share is undefined or the rest's is 0. */
  riskRatio: number | null;
  /** 95% interval of the risk ratio (Katz, log scale); null when a group has no targeted address. */
  riskRatio95: [number, number] | null;
  /** Phishing messages per 1,000 addresses of each group, and their ratio with a 95% Poisson interval. */
  messagesPerThousand: { leaked: number | null; rest: number | null };
  messageRateRatio: number | null;
  messageRateRatio95: [number, number] | null;
  /** Fisher's exact test of targeted / not targeted × leaked / rest. */
  fisher: FisherResult;
  conclusion: MisuseConclusion;
  /** One sentence a responder can read, with the numbers. */
  reason: string;
}

const Z_95 = 1.959963984540054;
const ALPHA = 0.05;

/**
 * Whether phishing reaches the leaked addresses more often than the rest of the directory. The
 * table is addresses, not messages: targeted or not, leaked or not, so Fisher's exact test applies;
 * message rates are reported beside it.
 */
export function misuseStatistics({ leaked, rest }: MisuseCounts): MisuseStatistics {
  const fisher = fisherExact({
    a: leaked.targeted,
    b: leaked.addresses - leaked.targeted,
    c: rest.targeted,
    d: rest.addresses - rest.targeted,
  });
  const share = (group: GroupCounts) => (group.addresses > 0 ? group.targeted / group.addresses : null);
  const perThousand = (group: GroupCounts) =>
    group.addresses > 0 ? (1000 * group.messages) / group.addresses : null;
  const targetedShare = { leaked: share(leaked), rest: share(rest) };
  const messagesPerThousand = { leaked: perThousand(leaked), rest: perThousand(rest) };
  const riskRatio = ratio(targetedShare.leaked, targetedShare.rest);
  const riskRatio95 =
    riskRatio !== null && leaked.targeted > 0 && rest.targeted > 0
      ? interval(
          riskRatio,
          Math.sqrt(1 / leaked.targeted - 1 / leaked.addresses + 1 / rest.targeted - 1 / rest.addresses),
        )
      : null;
  const messageRateRatio = ratio(messagesPerThousand.leaked, messagesPerThousand.rest);
  const messageRateRatio95 =
    messageRateRatio !== null && leaked.messages > 0
      ? interval(messageRateRatio, Math.sqrt(1 / leaked.messages + 1 / rest.messages))
      : null;
  return {
    targetedShare,
    riskRatio,
    riskRatio95,
    messagesPerThousand,
    messageRateRatio,
    messageRateRatio95,
    fisher,
    ...conclude({ leaked, rest }, fisher, riskRatio),
  };
}

function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  return numerator / denominator;
}

function interval(estimate: number, logStandardError: number): [number, number] {
  const log = Math.log(estimate);
  return [Math.exp(log - Z_95 * logStandardError), Math.exp(log + Z_95 * logStandardError)];
}

function conclude(
  { leaked, rest }: MisuseCounts,
  fisher: FisherResult,
  riskRatio: number | null,
): { conclusion: MisuseConclusion; reason: string } {
  if (leaked.addresses === 0 || rest.addresses === 0) {
    return {
      conclusion: 'insufficient_data',
      reason: `no comparison is possible: ${leaked.addresses} leaked and ${rest.addresses} other directory addresses`,
    };
  }
  if (leaked.targeted + rest.targeted === 0) {
    return { conclusion: 'insufficient_data', reason: 'no phishing message was addressed to the directory' };
  }
  const p = formatP(fisher.pTwoSided);
  const shares = `${leaked.targeted} of ${leaked.addresses} leaked addresses were targeted, ${rest.targeted} of ${rest.addresses} others`;
  const times =
    riskRatio === null ? 'only leaked addresses were targeted' : `${round(riskRatio)} times the rate`;
  if (fisher.pTwoSided < ALPHA && (riskRatio === null || riskRatio > 1)) {
    return {
      conclusion: 'misuse_likely',
      reason: `${shares}: ${times}, ${p} (Fisher's exact, two-sided): the leaked addresses are being targeted`,
    };
  }
  return {
    conclusion: 'no_evidence',
    reason: `${shares}: ${times}, ${p} (Fisher's exact, two-sided): not significant at 5%`,
  };
}

function round(value: number): string {
  return value >= 10 ? value.toFixed(1) : value.toPrecision(3);
}

/** `p = 0.190`, `p = 2.11e-7`, or `p < 1e-300` where doubles run out. */
export function formatP(p: number): string {
  if (p < 1e-300) return 'p < 1e-300';
  return `p = ${p < 0.0001 ? p.toExponential(2) : p.toPrecision(3)}`;
}
