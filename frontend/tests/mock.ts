// A Transport for component tests: it answers calls from handlers, records
// every call with its argument, and fires events on demand.
import { setTransport, CallError, toCallError, type Transport } from '../src/lib/api';
import pinPolicyFixture from './pinpolicy.json';
import type { CardState, CardStatus, FileInfo, FirstScreen, Info, PINSpec, PINView, ReaderInfo, Settings } from '../src/lib/types';

export type Handler = (arg: any) => unknown | Promise<unknown>;

export interface Mock extends Transport {
  calls: { method: string; arg: any }[];
  handlers: Record<string, Handler>;
  fire(event: string, data: unknown): void;
  callsTo(method: string): any[];
}

// pinPolicy is what the backend's PINPolicy returns (a Go test in
// app/uiservice checks this file against cardio/pin).
export const pinPolicy = pinPolicyFixture;

export function mock(handlers: Record<string, Handler> = {}, kind: 'web' | 'desktop' = 'web'): Mock {
  handlers = { PINPolicy: () => pinPolicyFixture, CardState: (r: string) => cardState(m, r), Start: (r: string) => start(m, r), ...handlers };
  const listeners = new Map<string, Set<(d: any) => void>>();
  let n = 0;
  const m: Mock = {
    kind,
    calls: [],
    handlers,
    async call<T>(method: string, arg?: unknown): Promise<T> {
      m.calls.push({ method, arg: arg === undefined ? undefined : JSON.parse(JSON.stringify(arg)) });
      const h = m.handlers[method];
      if (!h) throw new CallError('no_method', method);
      return (await h(arg)) as T;
    },
    on(event, cb) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(cb);
      return () => listeners.get(event)!.delete(cb);
    },
    fire(event, data) {
      for (const cb of listeners.get(event) ?? []) cb(data);
    },
    callsTo(method) {
      return m.calls.filter((c) => c.method === method).map((c) => c.arg);
    },
  };
  if (kind === 'web') {
    m.upload = async (file: File): Promise<FileInfo> => ({ ref: 'r' + ++n + '/' + file.name, name: file.name, size: file.size, pdf: file.name.endsWith('.pdf') });
    m.fileURL = (ref: string) => './api/download?ref=' + encodeURIComponent(ref);
  }
  setTransport(m);
  return m;
}

// What the service's CardState does, from the test's Readers and Status
// handlers (called through the mock, so they are recorded): the reader asked
// for only while it is listed, the status or why there is none.
async function cardState(m: Mock, reader: string): Promise<CardState> {
  let readers: ReaderInfo[] = [];
  try {
    readers = await m.call<ReaderInfo[]>('Readers');
  } catch {
    /* no readers */
  }
  const r = readers.some((x) => x.name === reader) ? reader : '';
  try {
    return { readers, reader: r, status: await m.call<CardStatus>('Status', r) };
  } catch (e) {
    const c = toCallError(e);
    return { readers, reader: r, status: null, status_error: { code: c.code, message: c.message, tries_left: c.triesLeft } };
  }
}

// Start: the first screen's calls answered together, as the service does.
async function start(m: Mock, reader: string): Promise<FirstScreen> {
  const [info, settings, texts, pin_policy, card] = await Promise.all([
    m.call<Info>('Info'),
    m.call<Settings>('Settings'),
    m.call<Record<string, string>>('Texts'),
    m.call<Record<string, PINSpec>>('PINPolicy'),
    cardState(m, reader),
  ]);
  return { info, settings, texts, pin_policy, card };
}

export function pinView(id: PINView['id'], tries: number, max: number, extra: Partial<PINView> = {}): PINView {
  return { id, available: true, tries_left: tries, max_tries: max, locked: tries === 0, name: 'PIN ' + id, rule: 'rule ' + id, ...extra };
}

export function status(over: Partial<CardStatus> = {}, pins?: PINView[]): CardStatus {
  return {
    reader: 'Virtual PCD 00 00',
    card: { label: 'JPKIAPICCTOKEN2', kind: 'mynumber_card', sign_cert_present: true, auth_cert_present: true },
    card_id: 'card-1',
    test_card: true,
    auth_certificate: { not_before: '2025-01-01T00:00:00Z', not_after: '2030-01-01T00:00:00Z', days_left: 1500, expired: false },
    pin_list: pins ?? [pinView('sign', 5, 5), pinView('auth', 3, 3), pinView('text', 3, 3), pinView('juki', 3, 3)],
    ...over,
  };
}

export const tick = () => new Promise((r) => setTimeout(r, 0));

export async function settle(times = 5) {
  for (let i = 0; i < times; i++) await tick();
}

// appMock mocks the calls every App test answers alike: the shell (Info,
// Settings, Texts), one reader with a card, its status and Ready; extra
// adds or replaces calls.
export function appMock(extra: Record<string, Handler> = {}): Mock {
  return mock({
    Info: () => ({ mode: 'web', version: 'test', data_dir: '/data', features: ['verify', 'history', 'trust'] }),
    Settings: () => ({ language: 'ja', tsa: '' }),
    Texts: () => ({ 'sign.disclosure': '署名用電子証明書には氏名・住所・生年月日・性別が含まれます。' }),
    Readers: () => [{ name: 'Virtual PCD 00 00', card_present: true, in_use: false }],
    Status: () => status(),
    Ready: () => null,
    ...extra,
  });
}
