import { describe, expect, it, vi } from 'vitest';
import { canSubmit, entryState, guard, normalize, valid } from '../src/lib/pin';
import { fromClick, nudge, toCSS } from '../src/lib/stamp';
import { fileVerdict, needsExtract, sentence, verdict } from '../src/lib/verdict';
import { defaults, done, kindFor, missing, options, pending, record, stamped, type Entry } from '../src/lib/sign';
import { day, toQuery } from '../src/lib/history';
import { allKeys, fmtDate, fmtTime, pair, t, ui } from '../src/lib/i18n.svelte';
import { toCallError } from '../src/lib/api';
import { pinPolicy, pinView, status } from './mock';
import { setPolicy } from '../src/lib/pin';
import type { FileReport, FirstScreen, Note, SigReport, Stamp } from '../src/lib/types';

setPolicy(pinPolicy);

describe('PIN rules', () => {
  it('normalises like the card layer: full width, upper case, trimmed', () => {
    expect(normalize('sign', ' ｔｅｓｔ１２３４　')).toBe('TEST1234');
    expect(normalize('auth', '１２３４')).toBe('1234');
    expect(valid('sign', 'test1234')).toBe(true);
    expect(valid('sign', 'TEST1')).toBe(false); // too short
    expect(valid('sign', 'A'.repeat(17))).toBe(false);
    expect(valid('sign', 'TEST-1234')).toBe(false);
    expect(valid('auth', '12a4')).toBe(false);
    expect(valid('auth', '12345')).toBe(false);
    expect(valid('text', '０１２３')).toBe(true);
  });

  it('closes a locked PIN and wants a tick at the last try', () => {
    expect(entryState(undefined)).toBe('nocard');
    expect(entryState(pinView('auth', 0, 3))).toBe('locked');
    expect(entryState(pinView('auth', 1, 3))).toBe('lasttry');
    expect(entryState(pinView('juki', 3, 3, { available: false }))).toBe('absent');
    expect(canSubmit('auth', pinView('auth', 3, 3), '1234', false)).toBe(true);
    expect(canSubmit('auth', pinView('auth', 1, 3), '1234', false)).toBe(false);
    expect(canSubmit('auth', pinView('auth', 1, 3), '1234', true)).toBe(true);
    expect(canSubmit('auth', pinView('auth', 0, 3), '1234', true)).toBe(false);
    expect(canSubmit('auth', pinView('auth', 3, 3), '123', false)).toBe(false);
  });

  it('sends back the card and the tries that were shown', () => {
    const st = status({}, [pinView('sign', 4, 5), pinView('auth', 1, 3)]);
    expect(guard(st, 'sign', true)).toEqual({ reader: 'Virtual PCD 00 00', card_id: 'card-1', tries_left: 4, confirm_last_try: false });
    expect(guard(st, 'auth', true).confirm_last_try).toBe(true);
  });
});

describe('stamp placement', () => {
  const a4 = { width: 595, height: 842 };
  it('puts the stamp centre where the user clicked, in PDF points from the bottom left', () => {
    // Preview at half size: a click at (200, 100) px is (400, 200) pt from the top left.
    const s = fromClick(2, 200, 100, 297.5, 421, a4, 180, 54);
    expect(s).toEqual({ page: 2, x: 310, y: 842 - 200 - 27, w: 180, h: 54 });
    const css = toCSS(s, 297.5, 421, a4);
    expect(css.left + css.width / 2).toBeCloseTo(200, 5);
    expect(css.top + css.height / 2).toBeCloseTo(100, 5);
  });

  it('keeps the stamp inside the page', () => {
    expect(fromClick(1, 0, 0, 595, 842, a4)).toMatchObject({ x: 0, y: 842 - 54 });
    expect(fromClick(1, 595, 842, 595, 842, a4)).toMatchObject({ x: 595 - 180, y: 0 });
    const s = fromClick(1, 10, 10, 595, 842, a4);
    expect(nudge(s, -100, 100, a4)).toMatchObject({ x: 0, y: 842 - 54 });
    expect(nudge(s, 10, -10, a4)).toMatchObject({ x: 10, y: 842 - 54 - 10 });
  });
});

function sig(over: Partial<SigReport>): SigReport {
  return {
    index: 1, type: 'signature', format: 'PAdES', indication: 'PASSED', sentence: { ja: '有効です', en: 'valid' }, intact: true,
    covers_whole_file: true, changes_after: 'none', changes: null, signer: null, signing_time: null, timestamp: null,
    trust_anchor: null, chain: 'ok', revocation: { status: 'not_checked' }, errors: null, warnings: null, ...over,
  };
}

describe('verdicts', () => {
  it('maps ETSI indications to three verdicts and a sentence in the UI language', () => {
    expect(verdict(sig({}))).toBe('valid');
    expect(verdict(sig({ indication: 'FAILED' }))).toBe('invalid');
    expect(verdict(sig({ indication: 'INDETERMINATE' }))).toBe('unknown');
    expect(sentence(sig({}), 'en')).toBe('valid');
    expect(sentence(sig({}), 'ja')).toBe('有効です');
  });

  it('judges a file by its worst signature, and a file without any as unknown', () => {
    const r = (sigs: SigReport[], errors: Note[] | null = null): FileReport => ({ file: 'a.pdf', kind: 'pdf', sha256: '', size: 1, indication: '', signatures: sigs, errors });
    expect(fileVerdict(r([sig({}), sig({ indication: 'INDETERMINATE' })]))).toBe('unknown');
    expect(fileVerdict(r([sig({}), sig({ indication: 'FAILED' })]))).toBe('invalid');
    expect(fileVerdict(r([sig({}), sig({})]))).toBe('valid');
    expect(fileVerdict(r([]))).toBe('unknown');
    expect(fileVerdict(r([], [{ code: 'pdf_unreadable', text: { ja: 'PDF の構造を読めません。', en: 'unreadable' } }]))).toBe('invalid');
    expect(needsExtract(r([]), sig({ covers_whole_file: false }))).toBe(true);
    expect(needsExtract(r([]), sig({}))).toBe(false);
  });
});

describe('sign screen prerequisites', () => {
  const pdf = (ref: string, over: Partial<Entry> = {}): Entry => ({ info: { ref, name: ref + '.pdf', size: 1, pdf: true }, ...over });
  const txt = (ref: string): Entry => ({ info: { ref, name: ref + '.txt', size: 1, pdf: false } });
  const at = (page: number): Stamp => ({ page, x: 10, y: 20, w: 180, h: 54 });

  it('lists what is still missing, in order', () => {
    const base = { kind: 'pdf' as const, cardReady: true, accepted: true, pinOK: true };
    expect(missing({ ...base, files: [], cardReady: false, accepted: false, pinOK: false })).toEqual(['files', 'card', 'accept', 'pin']);
    expect(missing({ ...base, files: [pdf('a', { stampOn: true })] })).toEqual(['stamp']);
    expect(missing({ ...base, files: [pdf('a', { stampOn: true, stamp: at(1) })] })).toEqual([]);
    // A PDF signature of a text file cannot work: said before the password goes.
    expect(missing({ ...base, files: [pdf('a'), txt('b')] })).toEqual(['notpdf']);
    expect(missing({ ...base, kind: 'other', files: [pdf('a', { stampOn: true }), txt('b')] })).toEqual([]);
    // Everything signed already: nothing left to send.
    expect(missing({ ...base, files: [pdf('a', { result: { ref: 'a', name: 'a.pdf', ok: true } })] })).toEqual(['files']);
  });

  it('signs for 登記 in the Ministry\'s format: PDFs only, no timestamp, no certification forbidding a countersignature', () => {
    expect(kindFor('touki', 'other')).toBe('pdf');
    expect(kindFor('other', 'other')).toBe('other');
    const advanced = { ...defaults(), timestamp: true, certify: 'no-changes' as const, enveloping: true };
    const o = options([pdf('a')], { kind: 'pdf', advanced, dest: 'touki' });
    expect(o).toMatchObject({ files: ['a'], format: 'pades', profile: 'touki', level: 'b-b', certify: '', enveloping: false });
    // Form filling still lets others countersign: kept.
    expect(options([pdf('a')], { kind: 'pdf', advanced: { ...advanced, certify: 'form-filling' }, dest: 'touki' }).certify).toBe('form-filling');
    // Elsewhere the same choices go out as made.
    expect(options([pdf('a')], { kind: 'pdf', advanced, dest: 'other' })).toMatchObject({ profile: '', level: 'b-t', certify: 'no-changes' });
  });

  it('sends each stamp with its own document, and only the documents not signed yet', () => {
    const files = [
      pdf('r1/three', { stampOn: true, stamp: at(3), pages: 3 }),
      pdf('r2/one', { pages: 1 }),
      pdf('r3/two', { stampOn: false, pages: 2 }),
    ];
    const plan = { kind: 'pdf' as const, advanced: defaults() };
    const o = options(files, plan);
    expect(o).toEqual({ files: ['r1/three', 'r2/one', 'r3/two'], format: 'pades', enveloping: false, level: 'b-b', certify: '', reason: '', location: '', overwrite: false, stamps: { 'r1/three': at(3) }, profile: '' });
    expect('visible' in o).toBe(false); // nothing batch-wide
    // The stamped document is signed; the others failed: a retry sends only those, without any stamp.
    record(files, [
      { ref: 'r1/three', name: 'three.pdf', ok: true, output: 'r1/three.signed.pdf', output_name: 'three.signed.pdf' },
      { ref: 'r2/one', name: 'one.pdf', ok: false, code: 'cancelled', message: '取り消したため、署名していません。' },
      { ref: 'r3/two', name: 'two.pdf', ok: false, code: 'cancelled', message: '取り消したため、署名していません。' },
    ]);
    expect(done(files[0])).toBe(true);
    expect(pending(files).map((e) => e.info.ref)).toEqual(['r2/one', 'r3/two']);
    const again = options(files, plan);
    expect(again.files).toEqual(['r2/one', 'r3/two']);
    expect(again.stamps).toBeUndefined();
    // The first document keeps its result (and so its download link).
    expect(files[0].result?.output).toBe('r1/three.signed.pdf');
  });

  it('never sends a stamp for a page the document lacks, nor for another file kind', () => {
    const e = pdf('a', { stampOn: true, stamp: at(3), pages: 2 });
    expect(stamped(e, 'pdf')).toBe(false);
    expect(missing({ files: [e], kind: 'pdf', cardReady: true, accepted: true, pinOK: true })).toEqual(['stamp']);
    const f = pdf('b', { stampOn: true, stamp: at(1), pages: 1 });
    const o = options([f], { kind: 'other', advanced: defaults() });
    expect(o.format).toBe('cms');
    expect(o.stamps).toBeUndefined();
  });

  it('keeps technical choices for the kind they belong to', () => {
    const a = { ...defaults(), timestamp: true, certify: 'no-changes' as const, enveloping: true, reason: ' 承認 ', location: '札幌市' };
    expect(options([pdf('a')], { kind: 'pdf', advanced: a })).toMatchObject({ format: 'pades', level: 'b-t', certify: 'no-changes', enveloping: false, reason: '承認', location: '札幌市' });
    expect(options([txt('b')], { kind: 'other', advanced: a })).toMatchObject({ format: 'cms', level: 'b-t', certify: '', enveloping: true, reason: '', location: '' });
  });
});

describe('history filters', () => {
  it('leaves out empty fields and spans whole local days', () => {
    expect(toQuery({ op: '', result: '', text: '  ', from: '', to: '' })).toEqual({});
    const q = toQuery({ op: 'sign', result: 'ok', text: ' doc ', from: '2026-01-02', to: '2026-01-02' });
    expect(q.op).toBe('sign');
    expect(q.text).toBe('doc');
    expect(new Date(q.to!).getTime() - new Date(q.from!).getTime()).toBe(86400000 - 1);
  });

  it('reads dates typed as the screens show them, and refuses what is not one', () => {
    expect(day('2026-04-01')).toBe('2026-04-01');
    expect(day(' 2026/4/1 ')).toBe('2026-04-01');
    expect(day('２０２６-０４-０１')).toBe('2026-04-01'); // full-width digits
    expect(day('')).toBe('');
    expect(day('04/01/2026')).toBeNull();
    expect(day('2026-02-30')).toBeNull();
    expect(() => toQuery({ op: '', result: '', text: '', from: 'yesterday', to: '' })).toThrow();
  });
});

describe('dates', () => {
  it('have one format on every screen: the calendar day in Japan, and local times', () => {
    // 15:00 UTC is the next day in Japan: a certificate ending then ends on the 3rd.
    expect(fmtDate('2031-12-02T15:00:00Z')).toBe('2031-12-03');
    expect(fmtDate('2031-12-02T14:59:59Z')).toBe('2031-12-02');
    expect(fmtTime('2026-12-02T08:05:09Z')).toMatch(/^2026-12-0[23] \d\d:05:09$/);
    for (const l of ['ja', 'en'] as const) {
      ui.lang = l;
      expect(fmtDate('2030-01-01T00:00:00Z')).toBe('2030-01-01');
    }
    ui.lang = 'ja';
  });
});

describe('labels', () => {
  it('has every label in Japanese and English, and formats arguments', () => {
    for (const k of allKeys()) {
      const [ja, en] = pair(k)!;
      expect(ja, k).not.toBe('');
      expect(en, k).not.toBe('');
      const args = (s: string) => (s.match(/\{\d\}/g) ?? []).sort().join();
      expect(args(ja), k).toBe(args(en));
    }
    ui.lang = 'ja';
    expect(t('card.tries', 4, 5)).toBe('残り 4 / 5 回');
    ui.lang = 'en';
    expect(t('card.tries', 4, 5)).toBe('4 of 5 tries left');
    expect(t('no.such.key')).toBe('no.such.key');
    ui.lang = 'ja';
  });
});

describe('errors', () => {
  it('reads what a failed call carries, from Wails text or HTTP JSON', () => {
    const e = toCallError('{"code":"pin_wrong","message":"Wrong PIN. 2 tries left.","tries_left":2}');
    expect([e.code, e.message, e.triesLeft]).toEqual(['pin_wrong', 'Wrong PIN. 2 tries left.', 2]);
    expect(toCallError({ error: { code: 'bad_token', message: 'Unauthorized' } }).code).toBe('bad_token');
    expect(toCallError('plain').code).toBe('internal');
  });
});

describe('errors from Wails', () => {
  it('reads the JSON of an Error or of an object carrying it as message', () => {
    const j = '{"code":"no_card","message":"リーダーにカードがありません。"}';
    expect(toCallError(new Error(j)).code).toBe('no_card');
    expect(toCallError({ message: j }).message).toBe('リーダーにカードがありません。');
  });
});

describe('reader choice', () => {
  it('is kept across reloads, and used only while that reader is there', async () => {
    const { app, chooseReader, refreshStatus } = await import('../src/lib/state.svelte');
    const { mock } = await import('./mock');
    let readers = [
      { name: 'Reader A', card_present: true, in_use: false },
      { name: 'Reader B', card_present: true, in_use: false },
    ];
    const m = mock({ Readers: () => readers, Status: (r: string) => status({ reader: r || 'Reader A' }) });
    chooseReader('Reader B');
    app.reader = ''; // a reload: the page starts without a choice
    await refreshStatus();
    expect(app.reader).toBe('Reader B');
    expect(m.callsTo('Status').at(-1)).toBe('Reader B');
    readers = readers.slice(0, 1); // B unplugged
    await refreshStatus();
    expect(app.reader).toBe('');
    expect(app.status?.reader).toBe('Reader A');
    // One rule for a reader that is gone: the service's CardState decides,
    // asked once per refresh (the status is not read on its own).
    expect(m.callsTo('CardState')).toEqual(['Reader B', 'Reader B']);
    chooseReader('');
    expect(localStorage.getItem('shomei.reader')).toBeNull();
  });
});

describe('whenBack (card and counter screens)', () => {
  it('reads again when the window is back in front and visible, and stops when told', async () => {
    const { whenBack } = await import('../src/lib/back');
    let reads = 0;
    let state: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    const stop = whenBack(() => reads++);
    window.dispatchEvent(new Event('focus'));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(reads).toBe(2);
    state = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(reads).toBe(2);
    state = 'visible';
    stop();
    window.dispatchEvent(new Event('focus'));
    expect(reads).toBe(2);
  });
});

describe('first screen in the page', () => {
  // What shomei serve puts in the page opened with its token (app/web's
  // index): the Start answer for the reader holding a card.
  async function page(chosen: string) {
    vi.resetModules();
    const state = await import('../src/lib/state.svelte');
    const { mock } = await import('./mock');
    const m = mock({
      Info: () => ({ mode: 'web', version: 'test', data_dir: '/data', features: [] }),
      Settings: () => ({ language: 'en', tsa: '' }),
      Texts: () => ({ 'pin.sign': 'Signature PIN' }),
      Readers: () => [
        { name: 'Reader A', card_present: true, in_use: false },
        { name: 'Reader B', card_present: false, in_use: false },
      ],
      Status: (r: string) => status({ reader: r || 'Reader A' }),
    });
    const f = await m.call<FirstScreen>('Start', '');
    for (const [id, v] of [['shomei-start', { ...f, card: { readers: null, reader: '', status: null } }], ['shomei-card', f.card]]) {
      const el = document.createElement('script');
      el.type = 'application/json';
      el.id = id as string;
      el.textContent = JSON.stringify(v);
      document.body.append(el);
    }
    m.calls.length = 0;
    if (chosen) localStorage.setItem('shomei.reader', chosen);
    else localStorage.removeItem('shomei.reader');
    return { ...state, m };
  }

  it('is drawn from it, the shell part before the first render, without a call', async () => {
    const { app, askEarly, init, m } = await page('');
    askEarly();
    expect(app.texts['pin.sign']).toBe('Signature PIN');
    expect(app.settings?.language).toBe('en');
    await init();
    expect(app.status?.reader).toBe('Reader A');
    expect(m.calls).toEqual([]);
    expect(document.getElementById('shomei-start')).toBeNull();
    expect(document.getElementById('shomei-card')).toBeNull();
  });

  it('serves a chosen reader only if it found the card there; else the service is asked', async () => {
    let { app, askEarly, init, m } = await page('Reader A');
    askEarly();
    await init();
    expect(app.reader).toBe('Reader A');
    expect(m.calls).toEqual([]);
    ({ app, askEarly, init, m } = await page('Reader B'));
    askEarly();
    await init();
    expect(m.callsTo('CardState')).toEqual(['Reader B']);
    expect(m.callsTo('Start')).toEqual([]);
    expect(app.reader).toBe('Reader B');
    expect(app.status?.reader).toBe('Reader B');
  });
});
