import type { VerdictReason } from '../verdict.js';

export function reason(code: string, weight: number, sentence: string): VerdictReason {
  return { code, sentence, weight };
}

/** Domains are the only part of a message a reason may quote; cap them so a hostile one stays short. */
export function shown(domain: string): string {
  const clean = domain.replace(/[^\p{L}\p{N}.\-:[\]]/gu, '');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
