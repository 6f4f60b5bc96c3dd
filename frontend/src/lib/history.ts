import type { HistoryQuery } from './types';

export interface Filters {
  op: string;
  result: string;
  text: string;
  from: string; // yyyy-mm-dd, local day
  to: string;
}

// toQuery turns the form into the API's query: empty fields are left out;
// dates become the start of the first and the end of the last local day.
export function toQuery(f: Filters): HistoryQuery {
  const q: HistoryQuery = {};
  if (f.op) q.op = f.op;
  if (f.result) q.result = f.result;
  if (f.text.trim()) q.text = f.text.trim();
  if (f.from) q.from = new Date(f.from + 'T00:00:00').toISOString();
  if (f.to) q.to = new Date(f.to + 'T23:59:59.999').toISOString();
  return q;
}
