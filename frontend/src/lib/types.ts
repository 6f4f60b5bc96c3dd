// Shapes of what the Go service (app/uiservice) returns; field names are its JSON.

export interface ReaderInfo {
  name: string;
  card_present: boolean;
  in_use: boolean;
}

export interface PINView {
  id: 'sign' | 'auth' | 'text' | 'juki';
  available: boolean;
  tries_left: number;
  max_tries: number;
  locked: boolean;
  name: string;
  rule: string;
}

// One PIN's format and try limit (cardio/pin through PINPolicy).
export interface PINSpec {
  min_len: number;
  max_len: number;
  digits: boolean;
  max_tries: number;
  rule: string;
}

export interface CertBrief {
  not_before: string;
  not_after: string;
  days_left: number;
  expired: boolean;
  issuer?: string;
  holder?: string;
}

export interface CardStatus {
  reader: string;
  card: { label: string; kind: string; sign_cert_present: boolean; auth_cert_present: boolean };
  card_id: string;
  test_card: boolean;
  auth_certificate?: CertBrief;
  sign_certificate?: CertBrief & { holder: string };
  pin_list: PINView[];
  certificate_life?: LifeView[];
  sign_notes?: string[];
  any_locked?: boolean;
}

// The readers and the card's status read together (CardState); reader is
// the reader the status was asked of ('' = the one holding a card).
export interface CardState {
  readers: ReaderInfo[];
  reader: string;
  status: CardStatus | null;
  status_error?: { code: string; message: string; tries_left?: number };
}

// Everything the first screen needs, in one answer (Start).
export interface FirstScreen {
  info: Info;
  settings: Settings;
  texts: Record<string, string>;
  pin_policy: Record<string, PINSpec>;
  card: CardState;
}

// A certificate's life (backend/certlife through app/uiservice).
export interface LifeView {
  certificate: 'sign' | 'auth';
  not_after: string;
  expires_on: string;
  days_left: number;
  expired: boolean;
  warn: boolean;
  renewal_from: string;
  renewable_now: boolean;
  notes: string[];
  lines: string[];
}

export interface Info {
  mode: 'desktop' | 'web';
  version: string;
  data_dir: string;
  features: string[];
  work_dir?: string;
}

export interface FileInfo {
  ref: string;
  name: string;
  size: number;
  pdf: boolean;
}

export interface Guard {
  reader: string;
  card_id: string;
  tries_left: number;
  confirm_last_try: boolean;
}

export interface Stamp {
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

// What the Sign screen sends (lib/sign.ts builds the options): each
// visible stamp keyed by its own document's reference.
export interface SignRequest extends Guard {
  job: string;
  pin: string;
  accept_disclosure: boolean;
  files: string[];
  format: 'auto' | 'cms' | 'pades';
  enveloping: boolean;
  level: 'b-b' | 'b-t';
  certify: '' | 'no-changes' | 'form-filling' | 'annotations';
  reason: string;
  location: string;
  overwrite: boolean;
  stamps?: Record<string, Stamp>;
}

export interface FileResult {
  ref: string;
  name: string;
  ok: boolean;
  output?: string;
  output_name?: string;
  format?: string;
  bytes?: number;
  code?: string;
  message?: string;
}

export interface SignResponse {
  job: string;
  results: FileResult[];
  signed: number;
  total: number;
}

export interface Progress {
  job: string;
  done: number;
  total: number;
  current?: string;
  result?: FileResult;
}

export interface Settings {
  language: 'ja' | 'en';
  tsa: string;
}

export interface CardEvent {
  kind: 'reader_added' | 'reader_removed' | 'card_inserted' | 'card_removed' | 'service_lost';
  reader?: string;
}

// Verification (backend/verify).
export interface SigReport {
  index: number;
  type: 'signature' | 'document_timestamp' | string;
  format: string;
  indication: 'PASSED' | 'FAILED' | 'INDETERMINATE' | string;
  subindication?: string;
  sentence: { ja: string; en: string };
  intact: boolean;
  covers_whole_file: boolean;
  changes_after: 'none' | 'allowed' | 'disallowed' | 'unknown' | string;
  changes: { kind: string; allowed: boolean; why?: string; warning?: string; page?: number; object?: number; text?: { ja: string; en: string }; detail: string }[] | null;
  signer: { name: string; subject: string; issuer: string; not_before: string; not_after: string } | null;
  signing_time: { time: string; source: string } | null;
  timestamp: { time: string; tsa: string; intact: boolean; trusted: boolean } | null;
  trust_anchor: { name: string; source: string; test: boolean } | null;
  chain: string;
  revocation: { status: string; source?: string; notes?: Note[] | null };
  claims?: { name?: string; reason?: string; location?: string };
  errors: Note[] | null;
  warnings: Note[] | null;
  rendering?: Rendering | null;
}

// A finding of the verifier (backend/verify Note): a stable code, the values
// it names, the sentence in both languages, technical English detail.
export interface Note {
  code: string;
  args?: string[] | null;
  text: { ja: string; en: string };
  detail?: string;
}

// The rendering comparison of a signature over an earlier revision
// (backend/verify/rendering.go): every page drawn in both versions.
export interface Rendering {
  status: 'same' | 'different' | 'unavailable' | string;
  pages: number;
  dpi: number;
  masked: number;
  differs: { page: number; reason: string; pixels: number; box: [number, number, number, number] }[] | null;
}

// One page drawn in both versions (ComparePage), PNG data URLs; '' when
// that version has no such page.
export interface PagePictures {
  page: number;
  signed: string;
  now: string;
}

export interface FileReport {
  file: string;
  kind: 'pdf' | 'cms' | string;
  sha256: string;
  size: number;
  indication: string;
  signatures: SigReport[] | null;
  errors: Note[] | null;
  ref?: string;
  name?: string;
  // PDFs: the 登記・供託オンライン申請 requirements (backend/touki).
  touki?: { met: boolean; reasons: string[]; sentence: { ja: string; en: string } };
}

// History (backend/history through app/uiservice).
export interface HistoryRecord {
  seq: number;
  time: string;
  kind: string;
  op: string; // the kind, in the UI language
  result: string; // in the UI language
  ok: boolean;
  file?: string;
  detail?: string;
  interface?: string;
}

export interface HistoryQuery {
  op?: string;
  result?: string;
  text?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export interface HistoryPage {
  records: HistoryRecord[];
  total: number;
  more: boolean;
  chain_ok: boolean;
  chain_message: string;
  head: string;
}

export interface Anchor {
  id: string;
  name: string;
  source: 'jlis' | 'user' | string;
  test: boolean;
  sha256: string;
  subject: string;
  not_after: string;
  expired: boolean;
}

// PIN recovery advisor (backend/advisor through app/uiservice).
export interface AdviseRequest {
  reader: string;
  remembers?: Record<string, boolean>;
  nfc_phone?: boolean;
  camera?: boolean;
  clear_photo?: boolean;
  birth_date_printed?: boolean;
}

export interface Question {
  id: string;
  text: string;
  answer?: boolean;
}

export interface PINAdvice {
  pin: string;
  name: string;
  need: 'locked' | 'forgotten' | string;
  need_text: string;
  route: 'none' | 'app_kiosk' | 'counter' | 'smartphone' | 'unknown' | string;
  route_text: string;
  reasons?: string[];
  kiosks?: string[];
}

export interface AdviceView {
  card_id: string;
  test_card: boolean;
  locked: string[];
  questions: Question[];
  complete: boolean;
  route?: string;
  headline?: string;
  pins: PINAdvice[];
  bring: string[];
  notes: string[];
}

// Counter mode (backend/desk through app/uiservice).
export interface CounterPIN {
  id: 'sign' | 'auth' | 'text' | 'juki';
  name: string;
  rule: string;
  state: string;
  available: boolean;
  locked: boolean;
  tries_left: number;
  max_tries: number;
  can_reset: boolean;
}

export interface CounterView {
  kind: string;
  test_card: boolean;
  reader?: string;
  card_id?: string;
  action: string;
  shown: boolean;
  kind_text: string;
  line: string;
  pin_list: CounterPIN[];
  auth_lines?: string[];
  sign_text?: string;
  error_text?: string;
  reset_here: boolean;
  reset_note?: string;
  codes?: CounterCode[];
}

// 照合番号B of the visual and text applets, for the identity check.
export interface CounterCode {
  id: 'visual_b' | 'text_b';
  name: string;
  state: string;
  available: boolean;
  locked: boolean;
  tries_left: number;
  max_tries: number;
}

// The identity check's answer: the chip's photo and facts, the verdict in words.
export interface IdentityView {
  authentic: boolean;
  authenticity: 'confirmed' | 'failed' | 'unverifiable';
  test_card: boolean;
  verdict: string;
  compare: string;
  expiry_note: string;
  name: string;
  address: string;
  birth_date: string;
  sex: string;
  expiry: string;
  photo?: string;
  photo_note?: string;
  name_image?: string;
  address_image?: string;
}

// The basic 4 information read with the 4-digit PIN: the facts as text,
// the verdict, and the My Number only when the person asked for it.
export interface BasicInfoView {
  authentic: boolean;
  authenticity: 'confirmed' | 'failed' | 'unverifiable';
  test_card: boolean;
  verdict: string;
  name: string;
  address: string;
  birth_date: string;
  sex: string;
  mynumber?: string;
}

export interface CounterEvent {
  event: 'cleared';
  reason: 'card_removed' | 'next';
  message: string;
}

// Consents (backend/consent through app/uiservice).
export interface ConsentScreen {
  service: string;
  business: string;
  title: string;
  summary: string[];
  items: { key: string; label: string; notes?: string[] }[];
  buttons: { action: 'agree' | 'disagree'; label: string }[];
  details_link: string;
}

export interface ConsentSection {
  number: number;
  kind: string;
  required: boolean;
  heading: string;
  text?: string[];
  list?: string[];
}

export interface ConsentDoc {
  ref: string;
  name: string;
  valid: boolean;
  problems?: string[];
  view?: { lang: string; document_sha256: string; screen: ConsentScreen; details: { heading: string; sections: ConsentSection[] } };
  document_sha256?: string;
}

export interface ConsentResult {
  decision?: string;
  signed: boolean;
  output?: string;
  output_name?: string;
  consent_sha256?: string;
  sha256?: string;
  at?: string;
  validity?: { consent_day: string; valid_from: string; valid_until: string; estimated: boolean };
  message: string;
  validity_text?: string;
}

export interface SignedConsent {
  ref: string;
  name: string;
  service: string;
  business: string;
  platform_operator: string;
  title: string;
  decided_at: string;
  consent_sha256: string;
  document_sha256: string;
}

export interface ConsentRow {
  seq: number;
  service: string;
  business: string;
  decision: 'agree' | 'disagree' | string;
  decision_text: string;
  date: string;
  valid_until?: string;
  validity_estimated?: boolean;
  withdrawn_on?: string;
  state: string;
  consent_sha256?: string;
  output_name?: string;
  ref?: string;
}

// E-application signing (backend/application through app/uiservice).
export interface AppFile {
  name: string;
  size: number;
  sha256: string;
  media_type: string;
  preview?: { path: string; value: string }[];
  more?: boolean;
  no_preview?: boolean;
}

export interface ApplicationView {
  files: AppFile[];
  lines: string[];
  digest: string;
  more_text: string;
  no_preview_text: string;
}

export interface ApplicationResult {
  output: string;
  output_name: string;
  sha256: string;
  signed_at: string;
  files: number;
  message: string;
}

// e-Gov 電子申請 (backend/egov through app/uiservice).
export interface EgovView {
  folder: string;
  files: { name: string; size: number; sha256: string }[];
  fields: { source: string; name: string; value: string }[];
  extra: string[];
  digest: string;
}

export interface EgovResult {
  output: string;
  output_name: string;
  files: number;
  message: string;
}
