// Logic of the citizen and counter screens (issue 8) that does not need a
// page: what the advisor sends, when a counter reset may go, what a
// consent or application signature still needs. The backend checks all of
// it again before anything reaches the card.
import { canSubmit, valid } from './pin';
import type { AdviseRequest, CounterPIN, PINView } from './types';

// adviseRequest turns the answers given so far (by question id) into the
// advisor's request; unanswered questions are left out.
export function adviseRequest(reader: string, answers: Record<string, boolean | undefined>): AdviseRequest {
  const req: AdviseRequest = { reader };
  for (const [id, v] of Object.entries(answers)) {
    if (v === undefined) continue;
    if (id.startsWith('remember.')) {
      req.remembers ??= {};
      req.remembers[id.slice('remember.'.length)] = v;
    } else if (id === 'nfc_phone' || id === 'camera' || id === 'clear_photo' || id === 'birth_date_printed') {
      req[id] = v;
    }
  }
  return req;
}

// validResetCode: 8 printable ASCII characters (spaces around are
// ignored), as the card layer takes it.
export function validResetCode(code: string): boolean {
  const c = code.trim();
  return c.length === 8 && /^[\x21-\x7e]+$/.test(c);
}

export type ResetNeed = 'confirm' | 'code' | 'pin' | 'match';

// resetNeeds lists what a counter reset still needs, in the order the
// staff does it: the identity check confirmed, the reset code, a new PIN of
// the right format, typed twice alike.
export function resetNeeds(p: CounterPIN | undefined, f: { confirmed: boolean; code: string; next: string; again: string }): ResetNeed[] {
  const out: ResetNeed[] = [];
  if (!f.confirmed) out.push('confirm');
  if (!validResetCode(f.code)) out.push('code');
  if (!p || !valid(p.id, f.next)) out.push('pin');
  if (f.next === '' || f.next !== f.again) out.push('match');
  return out;
}

export type SignNeed = 'card' | 'accept' | 'pin';

// signNeeds lists what a consent, withdrawal or application signature
// still needs: a card with a signing certificate, the notice read, a
// password that may be sent (format, not locked, last try confirmed).
export function signNeeds(s: { cardReady: boolean; accepted: boolean; pin: PINView | undefined; value: string; confirmed: boolean }): SignNeed[] {
  const out: SignNeed[] = [];
  if (!s.cardReady) out.push('card');
  if (!s.accepted) out.push('accept');
  if (!canSubmit('sign', s.pin, s.value, s.confirmed)) out.push('pin');
  return out;
}

// shortHash shows the start of a SHA-256 in groups, enough to compare by eye.
export function shortHash(h: string | undefined, n = 16): string {
  if (!h) return '';
  return (h.slice(0, n).match(/.{1,4}/g) ?? []).join(' ') + '…';
}
