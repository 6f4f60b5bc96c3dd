// What a person sees first about a signature: one of three verdicts, a
// colour and a sentence in their language.

import type { SigReport, FileReport } from './types';

export type Verdict = 'valid' | 'invalid' | 'unknown';

export function verdict(s: SigReport): Verdict {
  switch (s.indication) {
    case 'PASSED':
      return 'valid';
    case 'FAILED':
      return 'invalid';
    default:
      return 'unknown';
  }
}

// fileVerdict: a file is valid only when every signature is, invalid when
// any is, and unknown otherwise (or without signatures).
export function fileVerdict(r: FileReport): Verdict {
  const sigs = r.signatures ?? [];
  if (sigs.length === 0) return r.errors?.length ? 'invalid' : 'unknown';
  if (sigs.some((s) => verdict(s) === 'invalid')) return 'invalid';
  if (sigs.every((s) => verdict(s) === 'valid')) return 'valid';
  return 'unknown';
}

export function sentence(s: SigReport, lang: 'ja' | 'en'): string {
  return (lang === 'en' ? s.sentence?.en : s.sentence?.ja) || s.sentence?.ja || s.sentence?.en || s.indication;
}

// needsExtract: a signature that does not cover the whole file, whose
// signed revision can be shown on its own.
export function needsExtract(r: FileReport, s: SigReport): boolean {
  return r.kind === 'pdf' && !s.covers_whole_file && s.intact;
}

export const icon: Record<Verdict, string> = { valid: '✔', invalid: '✖', unknown: '?' };
