import type { HistoryQuery } from './types';

export interface Filters {
  op: string;
  result: string;
  text: string;
  from: string; // yyyy-mm-dd, local day
  to: string;
}

// day reads a date typed as the screens show dates (2026-04-01; slashes and
// full-width digits are taken too): "" for an empty field, null when it is
// not a date.
export function day(s: string): string | null {
  const v = s.trim().replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (v === '') return '';
  const m = v.match(/^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(y, mo - 1, d);
  if (t.getFullYear() !== y || t.getMonth() !== mo - 1 || t.getDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// toQuery turns the form into the API's query: empty fields are left out;
// dates become the start of the first and the end of the last local day.
// A date that is not one throws (the screen checks with day() first).
export function toQuery(f: Filters): HistoryQuery {
  const q: HistoryQuery = {};
  if (f.op) q.op = f.op;
  if (f.result) q.result = f.result;
  if (f.text.trim()) q.text = f.text.trim();
  const from = day(f.from);
  const to = day(f.to);
  if (from === null || to === null) throw new Error('not a date');
  if (from) q.from = new Date(from + 'T00:00:00').toISOString();
  if (to) q.to = new Date(to + 'T23:59:59.999').toISOString();
  return q;
}
