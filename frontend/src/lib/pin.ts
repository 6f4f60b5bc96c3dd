// PIN rules as the card applies them. cardio/pin is the one policy: the
// screens get it from the backend (PINPolicy, loaded with the texts) and
// keep no copy; the backend checks again before anything reaches the card.
// The UI checks first so a typo never costs a round trip, and decides what
// the PIN entry must ask before a try is used. Until the policy is loaded,
// no PIN is valid.

import type { CardStatus, Guard, PINSpec, PINView } from './types';

export type PinID = 'sign' | 'auth' | 'text' | 'juki';

let specs: Partial<Record<PinID, PINSpec>> = {};

// setPolicy takes the backend's PIN policy.
export function setPolicy(p: Partial<Record<PinID, PINSpec>>) {
  specs = p;
}

// normalize folds full-width letters and digits to ASCII, upper-cases the
// signing password and trims spaces at both ends (as pin.Parse does).
export function normalize(id: PinID, input: string): string {
  let s = input.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
  s = s.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!specs[id]?.digits) s = s.toUpperCase();
  return s;
}

// valid reports whether input has the PIN's format.
export function valid(id: PinID, input: string): boolean {
  const s = normalize(id, input);
  const sp = specs[id];
  if (!sp || s.length < sp.min_len || s.length > sp.max_len) return false;
  return sp.digits ? /^[0-9]+$/.test(s) : /^[A-Z0-9]+$/.test(s);
}

export function maxLength(id: PinID): number {
  return (specs[id]?.max_len ?? 16) + 4; // room for spaces the user may type around it
}

export function pinOf(st: CardStatus | null | undefined, id: PinID): PINView | undefined {
  return st?.pin_list.find((p) => p.id === id);
}

export type EntryState = 'nocard' | 'absent' | 'locked' | 'lasttry' | 'ok';

// entryState says what the PIN entry must do for the PIN as last shown.
export function entryState(p: PINView | undefined): EntryState {
  if (!p) return 'nocard';
  if (!p.available) return 'absent';
  if (p.locked || p.tries_left <= 0) return 'locked';
  if (p.tries_left === 1) return 'lasttry';
  return 'ok';
}

// canSubmit: a PIN goes to the backend only with a valid format, a PIN
// that is not locked, and at the last try an explicit confirmation.
export function canSubmit(id: PinID, p: PINView | undefined, input: string, confirmed: boolean): boolean {
  const s = entryState(p);
  if (s === 'nocard' || s === 'absent' || s === 'locked') return false;
  if (s === 'lasttry' && !confirmed) return false;
  return valid(id, input);
}

// guard is what goes with the PIN: the card and the tries the user saw.
export function guard(st: CardStatus, id: PinID, confirmed: boolean): Guard {
  const p = pinOf(st, id)!;
  return { reader: st.reader, card_id: st.card_id, tries_left: p.tries_left, confirm_last_try: p.tries_left === 1 && confirmed };
}
