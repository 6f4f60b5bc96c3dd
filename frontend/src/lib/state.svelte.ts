// What every screen shares: the shell, the readers, the card status as last
// shown (the PIN guard sends back what is shown here), the settings.

import { api, CallError, toCallError } from './api';
import { setLang } from './i18n.svelte';
import type { CardEvent, CardStatus, FileInfo, Info, PINSpec, ReaderInfo, Settings } from './types';
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

// refreshStatus reads readers and card status (no PIN try is used). Calls
// during a read are folded into one more read after it.
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
        app.readers = await api().call<ReaderInfo[]>('Readers');
      } catch (e) {
        app.readers = [];
      }
      if (!app.reader) {
        const saved = savedReader();
        if (saved && app.readers.some((r) => r.name === saved)) app.reader = saved;
      }
      if (app.reader && !app.readers.some((r) => r.name === app.reader)) app.reader = '';
      try {
        app.status = await api().call<CardStatus>('Status', app.reader);
        app.statusError = null;
      } catch (e) {
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

// init loads everything the first screen needs and subscribes to events.
export async function init() {
  api().on('card', onCard);
  api().on('settings', (s: Settings) => {
    if (app.settings?.language !== s.language) void applySettings(s);
    else app.settings = s;
  });
  // All at once: none depends on another (the service knows the language).
  const [info, s] = await Promise.all([api().call<Info>('Info'), api().call<Settings>('Settings'), loadTexts(), refreshStatus()]);
  app.info = info;
  app.settings = s;
  setLang(s.language);
}

export function has(feature: string): boolean {
  return app.info?.features.includes(feature) ?? false;
}
