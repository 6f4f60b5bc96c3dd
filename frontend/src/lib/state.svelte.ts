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
let shellShown = false; // askEarly applied the shell part of the page's answer

function askStart(): Promise<FirstScreen> {
  return api().call<FirstScreen>('Start', wanted());
}

// fromPage takes a JSON data element shomei serve put in the page (app/web's
// index, for the page opened with the token), once.
function fromPage<T>(id: string): T | null {
  const el = document.getElementById(id);
  if (!el) return null;
  el.remove();
  try {
    return JSON.parse(el.textContent ?? '') as T;
  } catch {
    return null;
  }
}

// pageCard is the card state the page brings after its shell part, once
// the page is all there. It was read for the reader holding a card, so it
// serves a chosen reader only if that is where it found the card (as the
// service's Start decides for a card state read ahead); otherwise the
// service is asked.
async function pageCard(): Promise<CardState> {
  if (document.readyState === 'loading') await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
  const c = fromPage<CardState>('shomei-card');
  const w = wanted();
  if (c && (!w || c.status?.reader === w)) {
    if (w) c.reader = w;
    return c;
  }
  return api().call<CardState>('CardState', w);
}

function applyShell(f: FirstScreen) {
  app.info = f.info;
  app.settings = f.settings;
  setLang(f.settings.language);
  app.texts = f.texts;
  setPolicy(f.pin_policy);
}

// askEarly runs before the UI is drawn (main.ts). When the page brings the
// first call's answer (shomei serve), the shell part is applied at once, so
// the first render is in the right language with the right texts, and the
// card's state follows when the page has it; otherwise the first call goes
// out now, so the service answers while the page renders. init takes it.
export function askEarly() {
  const shell = fromPage<FirstScreen>('shomei-start');
  if (shell) {
    applyShell(shell);
    shellShown = true;
    early = pageCard().then((card) => ({ ...shell, card }));
  } else {
    early = askStart();
  }
  early.catch(() => {}); // init reports a failure
}

// init loads everything the first screen needs in one call (Start: the
// shell, settings, texts, PIN rules and the card's state), or takes it from
// the page, and subscribes to events. A status refresh asked for
// meanwhile reads once more after it.
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
      if (!shellShown) applyShell(f);
      shellShown = false;
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
