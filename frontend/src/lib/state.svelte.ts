// What every screen shares: the shell, the readers, the card status as last
// shown (the PIN guard sends back what is shown here), the settings.

import { api, CallError, toCallError } from './api';
import { setLang } from './i18n.svelte';
import type { CardEvent, CardState, CardStatus, FileInfo, FirstScreen, Info, PINSpec, ReaderInfo, Settings } from './types';
import { setPolicy } from './pin';

export type Screen = 'card' | 'pin' | 'sign' | 'verify' | 'consent' | 'application' | 'counter' | 'history' | 'settings';

export const app = $state({
  info: null as Info | null,
  readers: [] as ReaderInfo[],
  reader: '', // chosen reader; '' = the one holding a card
  status: null as CardStatus | null,
  statusError: null as CallError | null,
  loading: false,
  texts: {} as Record<string, string>,
  settings: null as Settings | null,
  screen: 'card' as Screen,
  pinTarget: 'sign' as 'sign' | 'auth' | 'text',
  verifyQueue: [] as FileInfo[],
  cardEvents: 0,
  kiosk: false, // counter mode's full-screen display: no navigation
  eapp: 'other' as 'egov' | 'other', // the e-application screen's kind: e-Gov, or another system's data
});

// The reader the person chose is kept across reloads (its name only).
const READER_KEY = 'shomei.reader';

function savedReader(): string {
  try {
    return localStorage.getItem(READER_KEY) ?? '';
  } catch {
    return '';
  }
}

// chooseReader sets the reader to use ('' = the one holding a card) and
// keeps the choice for the next start.
export function chooseReader(name: string) {
  app.reader = name;
  try {
    if (name) localStorage.setItem(READER_KEY, name);
    else localStorage.removeItem(READER_KEY);
  } catch {
    // no storage: the choice lasts this page only
  }
}

let running: Promise<void> | null = null;
let again = false;

// showCard takes the readers and the status the service read together
// (CardState: the reader asked for counts only while it is there).
function showCard(c: CardState) {
  app.readers = c.readers ?? [];
  app.reader = c.reader;
  if (c.status) {
    app.status = c.status;
    app.statusError = null;
  } else {
    app.status = null;
    app.statusError = toCallError(c.status_error ?? null);
  }
}

// The reader to ask for: the one chosen in this page, else the one chosen
// before a reload.
function wanted(): string {
  return app.reader || savedReader();
}

// refreshStatus reads readers and card status (no PIN try is used) in one
// call: CardState, which decides what a reader that is gone means (the one
// holding a card is used). Calls during a read are folded into one more
// read after it.
export function refreshStatus(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      app.loading = true;
      try {
        showCard(await api().call<CardState>('CardState', wanted()));
      } catch (e) {
        app.readers = [];
        app.status = null;
        app.statusError = toCallError(e);
      }
      app.loading = false;
    } while (again);
    running = null;
  })();
  return running;
}

let timer: ReturnType<typeof setTimeout> | undefined;

function onCard(_ev: CardEvent) {
  app.cardEvents++;
  clearTimeout(timer);
  timer = setTimeout(() => void refreshStatus(), 150);
}

export async function loadTexts() {
  const [texts, policy] = await Promise.all([
    api().call<Record<string, string>>('Texts'),
    api().call<Record<string, PINSpec>>('PINPolicy'),
  ]);
  app.texts = texts;
  setPolicy(policy);
}

export async function applySettings(s: Settings) {
  app.settings = s;
  setLang(s.language);
  await loadTexts();
  await refreshStatus();
}

let early: Promise<FirstScreen> | null = null;

function askStart(): Promise<FirstScreen> {
  return api().call<FirstScreen>('Start', wanted());
}

// askEarly sends the first call before the UI is drawn (main.ts), so the
// service answers while the page renders; init takes that answer.
export function askEarly() {
  early = askStart();
  early.catch(() => {}); // init reports a failure
}

// init loads everything the first screen needs in one call (Start: the
// shell, settings, texts, PIN rules and the card's state) and subscribes
// to events. A status refresh asked for meanwhile reads once more after it.
export async function init() {
  api().on('card', onCard);
  api().on('settings', (s: Settings) => {
    if (app.settings?.language !== s.language) void applySettings(s);
    else app.settings = s;
  });
  const first = (async () => {
    app.loading = true;
    try {
      const f = await (early ?? askStart());
      early = null;
      app.info = f.info;
      app.settings = f.settings;
      setLang(f.settings.language);
      app.texts = f.texts;
      setPolicy(f.pin_policy);
      showCard(f.card);
    } finally {
      app.loading = false;
    }
  })();
  again = false;
  running = first.catch(() => {});
  try {
    await first;
  } finally {
    running = null;
    if (again) void refreshStatus();
  }
}

export function has(feature: string): boolean {
  return app.info?.features.includes(feature) ?? false;
}
