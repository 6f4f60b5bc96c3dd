// The citizen and counter screens (issue 8): the PIN recovery advisor and
// the certificate life on the card screen, counter mode, consents and
// e-application signing, against a recording mock of app/uiservice.
import { describe, expect, it, beforeEach } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import App from '../src/App.svelte';
import { loadScreens } from '../src/lib/screens.svelte';
import Card from '../src/screens/Card.svelte';
import Counter from '../src/screens/Counter.svelte';
import Consent from '../src/screens/Consent.svelte';
import Application from '../src/screens/Application.svelte';
import { app, init } from '../src/lib/state.svelte';
import { ui } from '../src/lib/i18n.svelte';
import { CallError } from '../src/lib/api';
import { adviseRequest, resetNeeds, shortHash, signNeeds, validResetCode } from '../src/lib/workflows';
import { appMock, pinPolicy, pinView, settle, status, type Mock } from './mock';
import { setPolicy } from '../src/lib/pin';
import type { AdviceView, CardStatus, ConsentDoc, CounterCode, CounterPIN, CounterView, IdentityView, LifeView } from '../src/lib/types';

setPolicy(pinPolicy);

let cur: CardStatus;

function backend(extra: Record<string, (a: any) => unknown> = {}): Mock {
  cur = status();
  return appMock({
    Status: () => cur,
    Consents: () => [],
    ...extra,
  });
}

async function type(el: HTMLElement, value: string) {
  await fireEvent.input(el, { target: { value } });
}

beforeEach(() => {
  ui.lang = 'ja';
  app.screen = 'card';
  app.reader = '';
  app.status = null;
  app.kiosk = false;
  app.verifyQueue = [];
});

describe('workflow logic', () => {
  it('sends only the answers given, by question', () => {
    expect(adviseRequest('R', {})).toEqual({ reader: 'R' });
    expect(adviseRequest('R', { 'remember.auth': false, 'remember.text': true, nfc_phone: true, camera: undefined, birth_date_printed: false, bogus: true })).toEqual({
      reader: 'R', remembers: { auth: false, text: true }, nfc_phone: true, birth_date_printed: false,
    });
  });

  it('checks a reset code and a counter reset in the order the staff works', () => {
    expect(validResetCode('87654321')).toBe(true);
    expect(validResetCode(' 87654321 ')).toBe(true);
    expect(validResetCode('8765432')).toBe(false);
    expect(validResetCode('8765 321')).toBe(false);
    expect(validResetCode('８７６５４３２１')).toBe(false); // full width is not the card's ASCII
    const auth: CounterPIN = { id: 'auth', name: 'a', rule: '', state: '', available: true, locked: true, tries_left: 0, max_tries: 3, can_reset: true };
    expect(resetNeeds(auth, { confirmed: false, code: '', next: '', again: '' })).toEqual(['confirm', 'code', 'pin', 'match']);
    expect(resetNeeds(auth, { confirmed: true, code: '87654321', next: '12345', again: '12345' })).toEqual(['pin']);
    expect(resetNeeds(auth, { confirmed: true, code: '87654321', next: '1234', again: '1243' })).toEqual(['match']);
    expect(resetNeeds(auth, { confirmed: true, code: '87654321', next: '1234', again: '1234' })).toEqual([]);
  });

  it('wants a signing card, the notice read and a password that may be sent', () => {
    const ok = { cardReady: true, accepted: true, pin: pinView('sign', 5, 5), value: 'TEST1234', confirmed: false };
    expect(signNeeds(ok)).toEqual([]);
    expect(signNeeds({ ...ok, cardReady: false, accepted: false })).toEqual(['card', 'accept']);
    expect(signNeeds({ ...ok, pin: pinView('sign', 1, 5) })).toEqual(['pin']); // last try, not ticked
    expect(signNeeds({ ...ok, pin: pinView('sign', 1, 5), confirmed: true })).toEqual([]);
    expect(signNeeds({ ...ok, pin: pinView('sign', 0, 5), confirmed: true })).toEqual(['pin']);
    expect(shortHash('0123456789abcdef0123')).toBe('0123 4567 89ab cdef…');
  });
});

function life(over: Partial<LifeView>): LifeView {
  return { certificate: 'auth', not_after: '2027-01-10T14:59:59Z', expires_on: '2027-01-10', days_left: 40, expired: false, warn: true, renewal_from: '2026-10-11', renewable_now: true, notes: ['auth_survives_move'], lines: ['利用者証明用電子証明書の有効期限まで残り 40 日です（2027-01-10 まで）。', '更新の手続きができる期間に入っています（2026-10-11 から、市区町村の窓口で）。', '利用者証明用電子証明書は引越しや結婚では失効しません。'], ...over };
}

function advice(over: Partial<AdviceView> = {}): AdviceView {
  return {
    card_id: 'card-1', test_card: true, locked: ['sign'], complete: false, pins: [], bring: [], notes: [],
    questions: [
      { id: 'remember.auth', text: '利用者証明用電子証明書の暗証番号 を覚えていますか？' },
      { id: 'nfc_phone', text: 'NFC に対応したスマートフォンをお持ちですか？' },
    ],
    ...over,
  };
}

describe('Card screen: certificate life and the PIN recovery advisor', () => {
  it('warns ahead of expiry with the renewal window, and notes what ends the signing certificate', async () => {
    backend();
    cur = status({ certificate_life: [life({})], sign_notes: ['署名用電子証明書の有効期限は、署名用パスワードを入力して署名するときに確認できます。', '引越しや結婚などで住所や氏名が変わると、署名用電子証明書はその時点で失効します。'] });
    await init();
    render(Card);
    await settle();
    const l = screen.getByTestId('life-auth');
    expect(l.dataset.warn).toBe('true');
    expect(l.textContent).toContain('残り 40 日');
    expect(l.textContent).toContain('更新の手続きができる期間');
    expect(screen.getByTestId('life-sign-notes').textContent).toContain('住所や氏名が変わると');
    expect(screen.queryByTestId('advisor')).toBeNull(); // nothing locked
  });

  it('asks the advisor its questions while a PIN is locked, sends each answer, and shows the way once all are answered', async () => {
    const m = backend({
      Advise: (req: any) => {
        const q = advice().questions.map((x) => ({ ...x, answer: x.id === 'nfc_phone' ? req.nfc_phone : req.remembers?.auth }));
        const done = q.every((x) => x.answer !== undefined);
        if (!done) return advice({ questions: q });
        return advice({
          questions: q, complete: true, route: 'app_kiosk', headline: 'スマートフォンの「JPKI暗証番号リセットアプリ」で予約し、コンビニ等のキオスク端末で再設定できます。',
          pins: [{ pin: 'sign', name: '署名用電子証明書の暗証番号', need: 'locked', need_text: 'ロック中', route: 'app_kiosk', route_text: 'アプリで予約してキオスク端末で再設定', kiosks: ['ローソン（全国）', 'セブン-イレブン（全国）'] }],
          bring: ['カード本体'], notes: ['アプリで予約してから 24 時間以内に、キオスク端末のある店舗で再設定を済ませてください。'],
        });
      },
    });
    cur = status({ any_locked: true }, [pinView('sign', 0, 5), pinView('auth', 3, 3), pinView('text', 3, 3), pinView('juki', 3, 3)]);
    await init();
    render(Card);
    await settle();
    expect(m.callsTo('Advise')).toEqual([{ reader: 'Virtual PCD 00 00' }]);
    expect(screen.getByTestId('advice-pending')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('q-remember.auth-yes'));
    await settle();
    expect(m.callsTo('Advise').at(-1)).toEqual({ reader: 'Virtual PCD 00 00', remembers: { auth: true } });
    expect(screen.queryByTestId('advice')).toBeNull();
    await fireEvent.click(screen.getByTestId('q-nfc_phone-yes'));
    await settle();
    const a = screen.getByTestId('advice');
    expect(a.dataset.route).toBe('app_kiosk');
    expect(screen.getByTestId('advice-headline').textContent).toContain('キオスク端末で再設定できます');
    expect(within(screen.getByTestId('advice-kiosks')).getAllByRole('listitem').length).toBe(2);
    expect(screen.getByTestId('advice-bring').textContent).toContain('カード本体');
    expect(screen.getByTestId('advice-notes').textContent).toContain('24 時間以内');
    // Only the status and the advisor were asked: nothing that sends a PIN.
    expect(m.calls.filter((c) => !['Start', 'CardState', 'Info', 'Settings', 'Texts', 'PINPolicy', 'Readers', 'Status', 'Advise'].includes(c.method))).toEqual([]);
  });

  it('starts over for another card', async () => {
    const m = backend({ Advise: () => advice() });
    cur = status({ any_locked: true }, [pinView('sign', 0, 5), pinView('auth', 3, 3)]);
    await init();
    render(Card);
    await settle();
    await fireEvent.click(screen.getByTestId('q-nfc_phone-no'));
    await settle();
    expect(m.callsTo('Advise').at(-1).nfc_phone).toBe(false);
    cur = { ...cur, card_id: 'card-2' };
    m.fire('card', { kind: 'card_inserted', reader: 'Virtual PCD 00 00' });
    await new Promise((r) => setTimeout(r, 250));
    await settle();
    expect(m.callsTo('Advise').at(-1)).toEqual({ reader: 'Virtual PCD 00 00' });
    expect((screen.getByTestId('q-nfc_phone-no') as HTMLInputElement).checked).toBe(false);
  });
});

// fillReset opens the auth PIN's reset, ticks the staff confirmation and
// types the reset code and the new PIN twice.
async function fillReset(code: string) {
  await fireEvent.click(screen.getByTestId('counter-reset-auth'));
  await fireEvent.click(screen.getByTestId('counter-staff-confirm'));
  await type(screen.getByTestId('counter-code'), code);
  await type(screen.getByTestId('counter-new'), '4321');
  await type(screen.getByTestId('counter-again'), '4321');
}

// wrongResetCode answers a reset as the service does for a wrong code.
function wrongResetCode(): never {
  throw new CallError('reset_code_wrong', 'リセットコードが違います（リセットコードの残り 9 回）。暗証番号は変わっていません。', 9);
}

// emptyView is the counter's answer for a reader with no card.
function emptyView(): CounterView {
  return counterView({ shown: false, kind: 'none', reader: undefined, card_id: undefined, pin_list: [], codes: [], line: 'カードをリーダーに置いてください。' });
}

// submitIdentity opens the counter and submits the identity check with
// 照合番号B typed.
async function submitIdentity() {
  await init();
  render(Counter);
  await settle();
  await typeCodeB();
  await fireEvent.click(screen.getByTestId('identity-submit'));
  await settle();
}

// refuseReset opens the counter and submits a reset with a wrong code.
async function refuseReset() {
  await init();
  render(Counter);
  await settle();
  await fillReset('11111111');
  await fireEvent.click(screen.getByTestId('counter-reset-submit'));
  await settle();
}

// typeCodeB types a 照合番号B into the identity form, field by field.
async function typeCodeB() {
  for (const [id, val] of [['yy', '02'], ['mm', '04'], ['dd', '01'], ['expiry', '2030'], ['security', '1234']]) await type(screen.getByTestId('identity-' + id), val);
}

function counterView(over: Partial<CounterView> = {}): CounterView {
  const pin = (id: CounterPIN['id'], tries: number, max: number): CounterPIN => ({
    id, name: 'PIN ' + id, rule: 'rule ' + id, state: tries === 0 ? 'ロック中' : `残り ${tries} / ${max} 回`, available: true, locked: tries === 0, tries_left: tries, max_tries: max, can_reset: true,
  });
  return {
    kind: 'mynumber_card', test_card: true, reader: 'Virtual PCD 00 00', card_id: 'card-1', action: 'reset_here', shown: true, kind_text: 'マイナンバーカード',
    line: 'ロック中: 利用者証明用電子証明書の暗証番号。このテストカードは、この画面でリセットコードを使って再設定できます。',
    pin_list: [pin('sign', 5, 5), pin('auth', 0, 3), pin('text', 3, 3), pin('juki', 3, 3)],
    auth_lines: ['利用者証明用電子証明書の有効期限は 2030-01-01 です（残り 1500 日）。'], reset_here: true, ...over,
  };
}

describe('Counter mode', () => {
  it('shows the card, resets a PIN only after the staff confirm, and sends the code and the new PIN once', async () => {
    let v = counterView();
    const m = backend({
      CounterStatus: () => v,
      CounterReset: () => {
        v = counterView({ action: 'nothing_to_do', line: '対応が必要なことはありません。', pin_list: counterView().pin_list.map((p) => ({ ...p, locked: false, tries_left: p.max_tries, state: '残り' })) });
        return v;
      },
      CounterNext: () => null,
    });
    await init();
    render(Counter);
    await settle();
    expect(m.callsTo('CounterStatus')).toEqual(['']);
    expect(screen.getByTestId('counter-kind').textContent).toBe('マイナンバーカード');
    expect(screen.getByTestId('counter-line').textContent).toContain('ロック中');
    expect(screen.getAllByTestId('counter-pin').find((p) => p.dataset.pin === 'auth')!.dataset.locked).toBe('true');
    await fireEvent.click(screen.getByTestId('counter-reset-auth'));
    const submit = screen.getByTestId('counter-reset-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect((screen.getByTestId('counter-code') as HTMLInputElement).closest('fieldset')!.disabled).toBe(true);
    expect(screen.getByTestId('counter-missing').textContent).toContain('職員の確認');
    await fireEvent.click(screen.getByTestId('counter-staff-confirm'));
    await type(screen.getByTestId('counter-code'), '87654321');
    await type(screen.getByTestId('counter-new'), '4321');
    await type(screen.getByTestId('counter-again'), '4321');
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await settle();
    expect(m.callsTo('CounterReset')).toEqual([{ card_id: 'card-1', pin: 'auth', staff_confirmed: true, reset_code: '87654321', new: '4321' }]);
    expect(screen.getByTestId('counter-message').textContent).toContain('PIN authを再設定しました');
    expect(screen.getByTestId('counter-line').textContent).toBe('対応 対応が必要なことはありません。');
    expect(screen.queryByTestId('counter-reset-form')).toBeNull(); // the code and PIN are gone from the page
  });

  it('shows a wrong reset code and keeps nothing typed', async () => {
    const m = backend({
      CounterStatus: () => counterView(),
      CounterReset: wrongResetCode,
    });
    await refuseReset();
    expect(screen.getByTestId('counter-error').textContent).toContain('リセットコードが違います');
    expect(m.callsTo('CounterStatus').length).toBe(2); // read again after the failure
    expect(screen.queryByTestId('counter-code')).toBeNull();
  });

  it('says a real card is reset on J-LIS\'s terminal and offers no reset', async () => {
    backend({ CounterStatus: () => counterView({ test_card: false, reset_here: false, action: 'reset_on_jlis', reset_note: '実際のカードは、この PC ではなく J-LIS の端末で再設定します。', pin_list: counterView().pin_list.map((p) => ({ ...p, can_reset: false })) }) });
    await init();
    render(Counter);
    await settle();
    expect(screen.getByTestId('counter-reset-note').textContent).toContain('J-LIS の端末');
    expect(screen.queryByTestId('counter-reset-auth')).toBeNull();
  });

  it('reads the basic 4 information with the 4-digit PIN: tries shown first, the last try ticked, the My Number masked until shown, gone with the card', async () => {
    let v = counterView({ pin_list: counterView().pin_list.map((p) => (p.id === 'text' ? { ...p, tries_left: 1, state: '残り 1 / 3 回' } : p)) });
    const m = backend({
      CounterStatus: () => v,
      CounterBasicInfo: () => ({ authentic: true, authenticity: 'confirmed', test_card: true, verdict: 'テスト用の署名で確認できました。', name: '署名　花子', address: '東京都', birth_date: '1990-04-01', sex: '女', mynumber: '123456789018' }),
    });
    await init();
    render(Counter);
    await settle();
    const form = screen.getByTestId('basic-form');
    expect(within(form).getByTestId('entry-tries').textContent).toBe('残り 1 / 3 回');
    const submit = screen.getByTestId('basic-submit') as HTMLButtonElement;
    await type(screen.getByTestId('basic-pin'), '12a4');
    expect(submit.disabled).toBe(true); // not 4 digits
    await type(screen.getByTestId('basic-pin'), '1234');
    expect(submit.disabled).toBe(true); // the last try is not ticked
    await fireEvent.click(within(form).getByTestId('confirm-last-try'));
    await fireEvent.click(screen.getByTestId('basic-with-mynumber'));
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await settle();
    expect(m.callsTo('CounterBasicInfo')).toEqual([{ card_id: 'card-1', pin: '1234', tries_left: 1, confirm_last_try: true, with_mynumber: true }]);
    expect(screen.getByTestId('basic-name').textContent).toBe('署名　花子');
    const mn = screen.getByTestId('basic-mynumber');
    expect(mn.textContent).toBe('●●●● ●●●● ●●●●');
    expect(document.body.textContent).not.toContain('123456789018');
    await fireEvent.click(screen.getByTestId('basic-mynumber-toggle'));
    expect(screen.getByTestId('basic-mynumber').textContent).toBe('1234 5678 9018');
    await fireEvent.click(screen.getByTestId('basic-mynumber-toggle'));
    expect(screen.getByTestId('basic-mynumber').textContent).toBe('●●●● ●●●● ●●●●');
    expect(m.callsTo('CounterStatus').length).toBe(2); // the tries read again
    m.fire('card', { kind: 'card_removed', reader: 'Virtual PCD 00 00' });
    await settle();
    expect(screen.queryByTestId('basic-result')).toBeNull();
    expect(document.body.textContent).not.toContain('署名　花子');
  });

  it('does not offer the basic information read with a locked PIN', async () => {
    backend({ CounterStatus: () => counterView({ pin_list: counterView().pin_list.map((p) => (p.id === 'text' ? { ...p, locked: true, tries_left: 0 } : p)) }) });
    await init();
    render(Counter);
    await settle();
    expect((screen.getByTestId('basic-pin') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('basic-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('clears itself when the card leaves and for the next person, and reads the next card put on the reader', async () => {
    const m = backend({ CounterStatus: () => counterView(), CounterNext: () => null });
    await init();
    render(Counter);
    await settle();
    await fireEvent.click(screen.getByTestId('counter-reset-auth'));
    await fireEvent.click(screen.getByTestId('counter-staff-confirm'));
    await type(screen.getByTestId('counter-code'), '8765');
    // The card leaves: the service's desk says so.
    m.fire('card', { kind: 'card_removed', reader: 'Virtual PCD 00 00' });
    m.fire('counter', { event: 'cleared', reason: 'card_removed', message: 'カードが取り外されたので、画面の内容を消去しました。' });
    await settle();
    expect(screen.queryByTestId('counter-card')).toBeNull();
    expect(screen.queryByTestId('counter-code')).toBeNull();
    expect(screen.getByTestId('counter-cleared').textContent).toContain('取り外されたので');
    // The next card is read by itself.
    m.fire('card', { kind: 'card_inserted', reader: 'Virtual PCD 00 00' });
    await settle();
    expect(screen.getByTestId('counter-card')).toBeTruthy();
    expect(screen.queryByTestId('counter-cleared')).toBeNull();
    // Next person.
    await fireEvent.click(screen.getByTestId('counter-next'));
    await settle();
    expect(m.callsTo('CounterNext').length).toBe(1);
    expect(screen.queryByTestId('counter-card')).toBeNull();
    expect(screen.getByTestId('counter-prompt').textContent).toBe('カードをリーダーに置いてください。');
  });

  // 照合番号B of both applets, as the counter view carries them for the
  // identity check.
  const codes = (): CounterCode[] =>
    (['visual_b', 'text_b'] as const).map((id) => ({ id, name: id, state: '残り 10 / 10 回', available: true, locked: false, tries_left: 10, max_tries: 10 }));

  it('keeps the card shown and what the staff typed when a card comes and goes on another reader', async () => {
    const shown = counterView({ codes: codes() });
    const empty = emptyView();
    const m = backend({ CounterStatus: (r: string) => (r === 'Virtual PCD 00 01' ? empty : shown) });
    await init();
    render(Counter);
    await settle();
    await type(screen.getByTestId('identity-yy'), '01');
    // A card flickers on the second reader: inserted, read, gone.
    m.fire('card', { kind: 'card_inserted', reader: 'Virtual PCD 00 01' });
    m.fire('card', { kind: 'card_removed', reader: 'Virtual PCD 00 01' });
    await settle();
    expect(m.callsTo('CounterStatus')).toEqual(['', 'Virtual PCD 00 01']);
    expect(screen.getByTestId('counter-card')).toBeTruthy();
    expect(screen.queryByTestId('counter-waiting')).toBeNull();
    expect((screen.getByTestId('identity-yy') as HTMLInputElement).value).toBe('01');
  });

  it('keeps a refused reset\'s error and its re-read of the tries when a card comes and goes on another reader', async () => {
    const shown = counterView();
    const after = counterView({ line: 'リセットコードの残り 9 回' });
    const empty = emptyView();
    let reread: ((v: CounterView) => void) | null = null;
    let reads = 0;
    const m = backend({
      CounterStatus: (r: string) => (r === 'Virtual PCD 00 01' ? empty : ++reads === 2 ? new Promise<CounterView>((res) => (reread = res)) : shown),
      CounterReset: wrongResetCode,
    });
    await refuseReset();
    expect(reread).not.toBeNull(); // the tries are being read again
    // Another program's card comes and goes on the second reader meanwhile.
    m.fire('card', { kind: 'card_inserted', reader: 'Virtual PCD 00 01' });
    m.fire('card', { kind: 'card_removed', reader: 'Virtual PCD 00 01' });
    await settle();
    expect(m.callsTo('CounterStatus')).toEqual(['', 'Virtual PCD 00 00', 'Virtual PCD 00 01']);
    reread!(after);
    await settle();
    expect(screen.getByTestId('counter-error').textContent).toContain('リセットコードが違います');
    expect(screen.getByTestId('counter-line').textContent).toContain('リセットコードの残り 9 回');
  });

  it('forgets the last person when another card is shown, and keeps an identity answer over a re-read of the same card', async () => {
    let v = counterView({ codes: codes() });
    let answer: (r: IdentityView) => void = () => {};
    const m = backend({
      CounterStatus: () => v,
      CounterIdentity: () => new Promise<IdentityView>((res) => (answer = res)),
    });
    await submitIdentity();
    expect(m.callsTo('CounterIdentity').length).toBe(1);
    // The staff press 読み直す while the chip is read: the same card, the
    // same person; the answer is shown when it comes.
    await fireEvent.click(screen.getByTestId('counter-read'));
    await settle();
    answer({ authentic: true, authenticity: 'confirmed', test_card: true, verdict: 'テスト用の署名で確認できました。', compare: '', expiry_note: '', name: '署名　花子', address: '東京都', birth_date: '1990-04-01', sex: '女', expiry: '2030-01-01' });
    await settle();
    expect(screen.getByTestId('identity-name').textContent).toBe('署名　花子');
    // Another card on the same desk (read from a second reader): the
    // person shown goes with the card.
    v = counterView({ codes: codes(), card_id: 'card-2', reader: 'Virtual PCD 00 01' });
    m.fire('card', { kind: 'card_inserted', reader: 'Virtual PCD 00 01' });
    await settle();
    expect(screen.getByTestId('counter-card')).toBeTruthy();
    expect(screen.queryByTestId('identity-result')).toBeNull();
    expect(document.body.textContent).not.toContain('署名　花子');
  });

  it('keeps a reset\'s answer over a status read sent before it', async () => {
    const locked = counterView();
    const done = counterView({ action: 'nothing_to_do', line: '対応が必要なことはありません。', pin_list: locked.pin_list.map((p) => ({ ...p, locked: false, tries_left: p.max_tries })) });
    let late: ((v: CounterView) => void) | null = null;
    let reads = 0;
    backend({
      CounterStatus: () => (++reads === 2 ? new Promise<CounterView>((res) => (late = res)) : locked),
      CounterReset: () => done,
    });
    await init();
    render(Counter);
    await settle();
    await fireEvent.click(screen.getByTestId('counter-read')); // answered after the reset
    await fillReset('87654321');
    await fireEvent.click(screen.getByTestId('counter-reset-submit'));
    await settle();
    expect(late).not.toBeNull();
    late!(locked);
    await settle();
    expect(screen.getAllByTestId('counter-pin').find((p) => p.dataset.pin === 'auth')!.dataset.locked).toBe('false');
  });

  it('takes the person off the screen when the card is found gone, even with the removal event lost', async () => {
    let present = true;
    const shown = counterView({ codes: codes() });
    const empty = emptyView();
    const m = backend({
      CounterStatus: () => (present ? shown : empty),
      Readers: () => [{ name: 'Virtual PCD 00 00', card_present: present, in_use: false }],
      CounterIdentity: () => ({ authentic: true, authenticity: 'confirmed', test_card: true, verdict: 'テスト用の署名で確認できました。', compare: '', expiry_note: '', name: '署名　花子', address: '東京都', birth_date: '1990-04-01', sex: '女', expiry: '2030-01-01' }),
    });
    await submitIdentity();
    expect(screen.getByTestId('identity-name').textContent).toBe('署名　花子');
    const before = m.callsTo('Readers').length;
    await new Promise((r) => setTimeout(r, 2300));
    await settle();
    expect(m.callsTo('Readers').length).toBeGreaterThan(before); // asked while the person is shown
    expect(screen.getByTestId('identity-name').textContent).toBe('署名　花子'); // the card is still there
    present = false; // pulled, and no event comes
    await new Promise((r) => setTimeout(r, 2300));
    await settle();
    expect(screen.queryByTestId('identity-result')).toBeNull();
    expect(document.body.textContent).not.toContain('署名　花子');
    // Put back: the same card shows again without the last person.
    present = true;
    m.fire('card', { kind: 'card_inserted', reader: 'Virtual PCD 00 00' });
    await settle();
    expect(screen.getByTestId('counter-card')).toBeTruthy();
    expect(screen.queryByTestId('identity-result')).toBeNull();
  });

  it('has a full-screen display without the navigation', async () => {
    backend({ CounterStatus: () => counterView() });
    await loadScreens(); // the screens after the first are fetched when shown (tests/lazy.test.ts)
    render(App);
    await settle(10);
    await fireEvent.click(screen.getByRole('button', { name: '窓口モード' }));
    await settle();
    expect(screen.getByRole('navigation')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('counter-kiosk'));
    await settle();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.getByTestId('test-banner')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('kiosk-exit'));
    await settle();
    expect(screen.getByRole('navigation')).toBeTruthy();
  });
});

const sections = [
  ['provision', true], ['onward_provision', false], ['purposes', true], ['disclosure', true], ['records', true], ['method', true],
  ['validity', true], ['voluntary', true], ['withdrawal_effect', true], ['inquiry_withdrawal', true], ['client_software', true], ['contact', true],
] as const;

function consentDoc(): ConsentDoc {
  return {
    ref: 'c1/mirai.json', name: 'mirai.json', valid: true, document_sha256: 'ab'.repeat(32),
    view: {
      lang: 'ja', document_sha256: 'ab'.repeat(32),
      screen: {
        service: 'みらい損保 ご住所自動更新', business: 'みらい損害保険株式会社（架空）', title: 'ご住所などの変更手続きを省くために',
        summary: ['みらい損害保険が、J-LIS から、あなたの最新の氏名・住所などを受け取ることへの同意をお願いします。', '同意するかどうかは自由です。'],
        items: [{ key: 'name', label: '氏名', notes: ['旧氏を併記している場合は、旧氏も含みます。'] }, { key: 'address', label: '住所' }],
        buttons: [{ action: 'agree', label: '同意する' }, { action: 'disagree', label: '同意しない' }],
        details_link: '同意事項の詳細・補足説明',
      },
      details: {
        heading: '同意事項の詳細・補足説明',
        sections: sections.map(([kind, required], i) => ({ number: i + 1, kind, required, heading: '見出し ' + kind, text: ['本文 ' + kind], list: kind === 'purposes' ? ['目的 1', '目的 2'] : undefined })),
      },
    },
  };
}

describe('Consent screen', () => {
  it('renders the document as the guidance asks: a screen of its own, title, summary, items, two alike answers, and the details link under them that opens the full text', async () => {
    const m = backend({ ConsentOpen: () => consentDoc(), ConsentSign: () => ({ decision: 'disagree', signed: false, message: '同意しませんでした。署名はしていません（カードは使っていません）。' }) });
    await init();
    render(Consent);
    await settle();
    await fireEvent.change(screen.getByTestId('consent-file'), { target: { files: [new File(['{}'], 'mirai.json')] } });
    await settle();
    expect(m.callsTo('ConsentOpen')).toEqual(['r1/mirai.json']);
    const cs = screen.getByTestId('consent-screen');
    // A screen of its own: a modal dialog, and nothing else of the screen (file
    // inputs, the list) is there while it shows.
    expect(cs.getAttribute('role')).toBe('dialog');
    expect(cs.getAttribute('aria-modal')).toBe('true');
    expect(screen.queryByTestId('withdraw-file')).toBeNull();
    expect(screen.queryByTestId('consent-list')).toBeNull();
    expect(within(cs).getByTestId('consent-title').textContent).toBe('ご住所などの変更手続きを省くために');
    expect(within(cs).getByTestId('consent-summary').querySelectorAll('p').length).toBe(2);
    expect(within(cs).getByTestId('consent-items').textContent).toContain('旧氏');
    const agree = within(cs).getByTestId('consent-agree');
    const disagree = within(cs).getByTestId('consent-disagree');
    expect(agree.textContent).toBe('同意する');
    expect(disagree.textContent).toBe('同意しない');
    expect(agree.className).toBe(disagree.className); // neither answer is pushed
    // The details link comes right after the two answers.
    const link = within(cs).getByTestId('consent-details-link');
    expect(agree.parentElement!.nextElementSibling).toBe(link.parentElement);
    expect(screen.queryByTestId('consent-details')).toBeNull();
    await fireEvent.click(link);
    await settle();
    const d = screen.getByTestId('consent-details');
    const secs = within(d).getAllByTestId('consent-section');
    expect(secs.map((s) => s.dataset.kind)).toEqual(sections.map(([k]) => k));
    expect(secs[0].textContent).toContain('1. 見出し provision');
    expect(secs[0].textContent).toContain('【必須】');
    expect(secs[1].textContent).toContain('【任意】');
    expect(within(secs[2]).getAllByRole('listitem').length).toBe(2);
    await fireEvent.click(within(d).getByTestId('consent-details-close'));
    await settle();
    expect(screen.queryByTestId('consent-details')).toBeNull();
    // Disagree: recorded, no password asked, nothing signed.
    await fireEvent.click(screen.getByTestId('consent-disagree'));
    await settle();
    expect(m.callsTo('ConsentSign')).toEqual([{ ref: 'c1/mirai.json', document_sha256: 'ab'.repeat(32), decision: 'disagree' }]);
    const res = screen.getByTestId('consent-result');
    expect(res.dataset.signed).toBe('false');
    expect(res.textContent).toContain('署名はしていません');
    expect(screen.queryByTestId('consent-download')).toBeNull();
  });

  it('signs an agreement through the same guard as the Sign screen and offers the file; withdraws it', async () => {
    const m = backend({
      ConsentOpen: () => consentDoc(),
      ConsentSign: () => ({ decision: 'agree', signed: true, output: 'c1/mirai.consent.p7m', output_name: 'mirai.consent.p7m', sha256: 'cd'.repeat(32), consent_sha256: 'cd'.repeat(32), message: '同意に署名しました: mirai.consent.p7m', validity_text: '同意の有効期間（目安）: 2026-11-25 から 2036-11-24 まで。' }),
      ConsentInspect: (ref: string) => ({ ref, name: 'mirai.consent.p7m', service: 'みらい損保 ご住所自動更新', business: 'みらい損害保険株式会社（架空）', platform_operator: 'x', title: 't', decided_at: '2026-11-24T00:00:00Z', consent_sha256: 'cd'.repeat(32), document_sha256: 'ab'.repeat(32) }),
      ConsentWithdraw: () => ({ signed: true, output: 'c1/mirai.withdrawal.p7m', output_name: 'mirai.withdrawal.p7m', message: '同意の取消しに署名しました: mirai.withdrawal.p7m' }),
    });
    await init();
    render(Consent);
    await settle();
    await fireEvent.change(screen.getByTestId('consent-file'), { target: { files: [new File(['{}'], 'mirai.json')] } });
    await settle();
    await fireEvent.click(screen.getByTestId('consent-agree'));
    await settle();
    expect(screen.queryByTestId('consent-screen')).toBeNull();
    const submit = screen.getByTestId('consent-sign') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect(screen.getByTestId('consent-disclosure').textContent).toContain('氏名・住所・生年月日・性別');
    expect(screen.getByTestId('consent-missing').textContent).toContain('注意事項を確認');
    await fireEvent.click(screen.getByTestId('consent-accept'));
    await type(screen.getByTestId('consent-pin'), 'test1234');
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await settle();
    expect(m.callsTo('ConsentSign')[0]).toEqual({ reader: 'Virtual PCD 00 00', card_id: 'card-1', tries_left: 5, confirm_last_try: false, ref: 'c1/mirai.json', document_sha256: 'ab'.repeat(32), decision: 'agree', pin: 'test1234', accept_disclosure: true });
    expect(screen.getByTestId('consent-result').textContent).toContain('2036-11-24');
    expect(screen.getByTestId('consent-download').getAttribute('href')).toBe('./api/download?ref=c1%2Fmirai.consent.p7m');
    expect(m.callsTo('Consents').length).toBe(2); // the list is read again
    await fireEvent.click(screen.getByTestId('consent-withdraw-this'));
    await settle();
    expect(m.callsTo('ConsentInspect')).toEqual(['c1/mirai.consent.p7m']);
    expect(screen.getByTestId('withdraw-what').textContent).toContain('みらい損保 ご住所自動更新');
    // A fresh guard: the notice and the password again.
    expect((screen.getByTestId('withdraw-accept') as HTMLInputElement).checked).toBe(false);
    await fireEvent.click(screen.getByTestId('withdraw-accept'));
    await type(screen.getByTestId('withdraw-pin'), 'TEST1234');
    await fireEvent.click(screen.getByTestId('withdraw-submit'));
    await settle();
    expect(m.callsTo('ConsentWithdraw')[0]).toMatchObject({ ref: 'c1/mirai.consent.p7m', consent_sha256: 'cd'.repeat(32), pin: 'TEST1234', accept_disclosure: true, card_id: 'card-1' });
    expect(screen.getByTestId('withdraw-download').getAttribute('href')).toContain('mirai.withdrawal.p7m');
  });

  it('says TEST CARD on the consent screen too, and can be closed without an answer (nothing recorded)', async () => {
    const m = backend({ ConsentOpen: () => consentDoc(), ConsentSign: () => null });
    await init();
    render(Consent);
    await settle();
    await fireEvent.change(screen.getByTestId('consent-file'), { target: { files: [new File(['{}'], 'mirai.json')] } });
    await settle();
    expect(screen.getByTestId('consent-test').textContent).toContain('テストカード');
    await fireEvent.click(screen.getByTestId('consent-close'));
    await settle();
    expect(screen.queryByTestId('consent-screen')).toBeNull();
    expect(screen.getByTestId('consent-file')).toBeTruthy();
    expect(m.callsTo('ConsentSign')).toEqual([]);
  });

  it('lists every rule an invalid document breaks and shows no consent screen', async () => {
    backend({ ConsentOpen: () => ({ ref: 'c1/bad.json', name: 'bad.json', valid: false, problems: ['要旨（summary）がありません。', '必須の詳細項目がありません: provision [details]'] }) });
    await init();
    render(Consent);
    await settle();
    await fireEvent.change(screen.getByTestId('consent-file'), { target: { files: [new File(['{}'], 'bad.json')] } });
    await settle();
    expect(screen.queryByTestId('consent-screen')).toBeNull();
    expect(within(screen.getByTestId('consent-problems')).getAllByRole('listitem').length).toBe(2);
  });

  it('lists the recorded consents with their state and offers the withdrawal of a kept file', async () => {
    const m = backend({
      Consents: () => [
        { seq: 3, service: 'A', business: 'B', decision: 'agree', decision_text: '同意', date: '2026-11-24', valid_until: '2036-11-24', state: '2036-11-24 まで有効（目安）', ref: 'c1/a.consent.p7m' },
        { seq: 1, service: 'C', business: 'D', decision: 'disagree', decision_text: '不同意', date: '2026-11-20', state: '署名なし' },
      ],
      ConsentInspect: (ref: string) => ({ ref, name: 'a.consent.p7m', service: 'A', business: 'B', platform_operator: 'x', title: 't', decided_at: '2026-11-24T00:00:00Z', consent_sha256: 'ee', document_sha256: 'ff' }),
    });
    await init();
    render(Consent);
    await settle();
    const rows = screen.getByTestId('consent-list').querySelectorAll('tbody tr');
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).toContain('2036-11-24 まで有効');
    expect(rows[1].querySelector('button')).toBeNull();
    await fireEvent.click(rows[0].querySelector('button')!);
    await settle();
    expect(m.callsTo('ConsentInspect')).toEqual(['c1/a.consent.p7m']);
    expect(screen.getByTestId('withdraw-form')).toBeTruthy();
  });
});

describe('E-application screen', () => {
  it('shows every file and its values, signs with the digest of what was shown, and offers the one response', async () => {
    const m = backend({
      ApplicationOpen: (refs: string[]) => ({
        digest: 'dd'.repeat(32), lines: [`次の ${refs.length} 件のファイルに署名します:`], more_text: '（ほかにも項目があります）', no_preview_text: '',
        files: [
          { name: 'attach.xml', size: 20, sha256: '11'.repeat(32), media_type: 'application/xml', preview: [{ path: 'a/b/@c', value: '1' }] },
          { name: 'form.json', size: 40, sha256: '22'.repeat(32), media_type: 'application/json', preview: [{ path: 'applicant.name', value: '署名 花子' }], more: true },
        ],
      }),
      ApplicationSign: () => ({ output: 'r1/form.json.response.p7m', output_name: 'form.json.response.p7m', sha256: '33'.repeat(32), signed_at: '2026-11-24T00:00:00Z', files: 2, message: '2 件のファイルに署名し、応答ファイルを作りました: form.json.response.p7m' }),
    });
    await init();
    render(Application);
    await settle();
    await fireEvent.change(screen.getByTestId('app-files'), { target: { files: [new File(['{}'], 'form.json'), new File(['<a/>'], 'attach.xml')] } });
    await settle();
    expect(m.callsTo('ApplicationOpen')).toEqual([['r1/form.json', 'r2/attach.xml']]);
    const files = screen.getAllByTestId('app-file');
    expect(files.map((f) => f.dataset.name)).toEqual(['attach.xml', 'form.json']);
    expect(files[1].textContent).toContain('applicant.name');
    expect(files[1].textContent).toContain('署名 花子');
    expect(files[1].textContent).toContain('ほかにも項目があります');
    const submit = screen.getByTestId('app-sign') as HTMLButtonElement;
    expect(submit.textContent).toContain('2 件');
    expect(submit.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('app-accept'));
    await type(screen.getByTestId('app-pin'), 'TEST1234');
    await fireEvent.click(submit);
    await settle();
    expect(m.callsTo('ApplicationSign')[0]).toEqual({ reader: 'Virtual PCD 00 00', card_id: 'card-1', tries_left: 5, confirm_last_try: false, files: ['r1/form.json', 'r2/attach.xml'], digest: 'dd'.repeat(32), pin: 'TEST1234', accept_disclosure: true });
    expect(screen.getByTestId('app-download').getAttribute('href')).toBe('./api/download?ref=r1%2Fform.json.response.p7m');
  });

  it('says why a file cannot be signed', async () => {
    backend({
      ApplicationOpen: () => {
        throw new CallError('application_json', 'broken.json: JSON として正しくありません。');
      },
    });
    await init();
    render(Application);
    await settle();
    await fireEvent.change(screen.getByTestId('app-files'), { target: { files: [new File(['{'], 'broken.json')] } });
    await settle();
    expect(screen.getByTestId('app-error').textContent).toBe('broken.json: JSON として正しくありません。');
    expect(screen.queryByTestId('app-sign')).toBeNull();
  });
});

describe('App', () => {
  it('says TEST CARD on the new screens too, in English as well', async () => {
    backend({ CounterStatus: () => counterView(), ApplicationOpen: () => null });
    await loadScreens(); // the screens after the first are fetched when shown (tests/lazy.test.ts)
    render(App);
    await settle(10);
    for (const name of ['同意', '電子申請', '窓口モード']) {
      await fireEvent.click(screen.getByRole('button', { name }));
      await settle();
      expect(screen.getByTestId('test-banner').textContent).toContain('テストカード');
    }
    ui.lang = 'en';
    await settle();
    expect(screen.getByRole('button', { name: 'Counter mode' })).toBeTruthy();
    expect(screen.getByTestId('counter-next').textContent).toBe('Next person (clear the screen)');
  });
});
