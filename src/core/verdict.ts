/** What the monitor concludes about one inbound message, always with the reasons. */
export type VerdictName = 'phishing' | 'suspicious' | 'clean';

export interface VerdictReason {
  /** Stable machine code, e.g. `dmarc_fail`, `lookalike_from`, `asks_password`. */
  code: string;
  /** One sentence a responder can read. Never quotes more of the message than a domain. */
  sentence: string;
  /** How much this reason adds to the score. */
  weight: number;
}

export interface Verdict {
  verdict: VerdictName;
  score: number;
  reasons: VerdictReason[];
}
