// The Sign screen's logic, without a page: what a person chose, what is
// still missing before the button works, and the request the service gets.
//
// A citizen answers two questions: where the document goes (登記・供託オンライン
// 申請, e-Gov 電子申請, or anywhere else), which picks the format the
// receiving system takes, and — for anywhere else — a PDF or another file.
// 登記 takes PDFs signed in the Ministry's format (the "touki" profile,
// backend/touki): no timestamp, no certification that forbids a
// countersignature. e-Gov applications are a folder, signed on the
// e-application screen. Everything technical (timestamp level,
// certification, .p7m, reason, location, replacing outputs) sits behind
// 詳細設定 with defaults that suit most people; the citizen never sees a
// format name.
//
// A visible stamp belongs to one document: it is placed on that document's
// own preview, kept in that document's entry, and sent with that document's
// reference. Removing the document removes its stamp; another document never
// inherits it. A document signed once keeps its result (and download link)
// when the others are tried again, and is not sent again.
import type { FileInfo, FileResult, Stamp } from './types';

export type Kind = 'pdf' | 'other';

// Destination is where the document goes.
export type Destination = 'touki' | 'egov' | 'other';

// kindFor is the kind a destination allows (登記 takes PDFs only).
export function kindFor(dest: Destination, kind: Kind): Kind {
  return dest === 'touki' ? 'pdf' : kind;
}

export interface Entry {
  info: FileInfo;
  file?: File;
  pages?: number; // page count, once the preview has read the document
  stampOn?: boolean; // this document gets a visible stamp
  stamp?: Stamp; // where, on one of this document's pages
  result?: FileResult; // the last outcome for this document
}

export type Certify = '' | 'no-changes' | 'form-filling' | 'annotations';

// Advanced holds the choices behind 詳細設定; defaults() is what a person
// who never opens it gets.
export interface Advanced {
  timestamp: boolean; // B-T with the timestamp server from the settings
  certify: Certify; // PDF: certify instead of an ordinary (approval) signature
  enveloping: boolean; // other files: the file inside the signature (.p7m)
  reason: string;
  location: string;
  overwrite: boolean;
}

export function defaults(): Advanced {
  return { timestamp: false, certify: '', enveloping: false, reason: '', location: '', overwrite: false };
}

export interface Plan {
  kind: Kind;
  advanced: Advanced;
  dest?: Destination; // absent: other
}

export type Need = 'files' | 'notpdf' | 'card' | 'stamp' | 'accept' | 'pin';

// done: a document already signed (its result kept, not sent again).
export function done(e: Entry): boolean {
  return !!e.result?.ok;
}

// pending lists the documents the next press of the button signs.
export function pending(files: Entry[]): Entry[] {
  return files.filter((e) => !done(e));
}

// stamped reports whether a document goes out with a stamp of its own.
export function stamped(e: Entry, kind: Kind): boolean {
  return kind === 'pdf' && e.info.pdf && !!e.stampOn && !!e.stamp && (!e.pages || e.stamp.page <= e.pages);
}

// missing lists what the button still waits for, in the order a person
// does it.
export function missing(s: { files: Entry[]; kind: Kind; cardReady: boolean; accepted: boolean; pinOK: boolean }): Need[] {
  const out: Need[] = [];
  const todo = pending(s.files);
  if (todo.length === 0) out.push('files');
  if (s.kind === 'pdf' && todo.some((e) => !e.info.pdf)) out.push('notpdf');
  if (!s.cardReady) out.push('card');
  if (s.kind === 'pdf' && todo.some((e) => e.info.pdf && e.stampOn && !stamped(e, s.kind))) out.push('stamp');
  if (!s.accepted) out.push('accept');
  if (!s.pinOK) out.push('pin');
  return out;
}

// Options is the part of the service's SignRequest this screen chooses.
export interface Options {
  files: string[];
  format: 'pades' | 'cms';
  enveloping: boolean;
  level: 'b-b' | 'b-t';
  certify: Certify;
  reason: string;
  location: string;
  overwrite: boolean;
  stamps?: Record<string, Stamp>;
  profile: '' | 'touki';
}

// options builds what the service gets for the pending documents: each
// stamp keyed by its own document's reference, nothing batch-wide.
export function options(files: Entry[], plan: Plan): Options {
  const todo = pending(files);
  const a = plan.advanced;
  const touki = plan.dest === 'touki';
  const o: Options = {
    files: todo.map((e) => e.info.ref),
    format: plan.kind === 'pdf' || touki ? 'pades' : 'cms',
    enveloping: plan.kind === 'other' && !touki && a.enveloping,
    // 登記 takes no timestamp and no certification that forbids a
    // countersignature: those choices are not offered, and not sent.
    level: a.timestamp && !touki ? 'b-t' : 'b-b',
    certify: plan.kind === 'pdf' && !(touki && a.certify === 'no-changes') ? a.certify : '',
    profile: touki ? 'touki' : '',
    reason: plan.kind === 'pdf' ? a.reason.trim() : '',
    location: plan.kind === 'pdf' ? a.location.trim() : '',
    overwrite: a.overwrite,
  };
  const stamps: Record<string, Stamp> = {};
  for (const e of todo) if (stamped(e, plan.kind)) stamps[e.info.ref] = { ...e.stamp! };
  if (Object.keys(stamps).length) o.stamps = stamps;
  return o;
}

// record keeps each document's outcome in its entry (a progress event or
// the whole response); results for documents no longer listed are dropped.
export function record(files: Entry[], results: FileResult[]) {
  for (const r of results) {
    const e = files.find((f) => f.info.ref === r.ref);
    if (e) e.result = r;
  }
}

// accepts says which files the drop zone offers for a kind.
export function accepts(kind: Kind): string {
  return kind === 'pdf' ? '.pdf,application/pdf' : '';
}
