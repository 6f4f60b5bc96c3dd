import { describe, expect, it, beforeEach } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import App from '../src/App.svelte';
import { loadScreens } from '../src/lib/screens.svelte';
import Card from '../src/screens/Card.svelte';
import PinChange from '../src/screens/PinChange.svelte';
import Sign from '../src/screens/Sign.svelte';
import Verify from '../src/screens/Verify.svelte';
import History from '../src/screens/History.svelte';
import Settings from '../src/screens/Settings.svelte';
import { app, init } from '../src/lib/state.svelte';
import { ui } from '../src/lib/i18n.svelte';
import { CallError } from '../src/lib/api';
import { appMock, pinView, settle, status, type Mock } from './mock';
import type { CardStatus, FileReport, SignResponse } from '../src/lib/types';

let cur: CardStatus;

function backend(extra: Record<string, (a: any) => unknown> = {}): Mock {
  cur = status();
  return appMock({
    Status: () => cur,
    ...extra,
  });
}

beforeEach(() => {
  ui.lang = 'ja';
  app.screen = 'card';
  app.reader = '';
  app.status = null;
  app.verifyQueue = [];
});

describe('App', () => {
  it('says TEST CARD on every screen while the virtual card is in use, and nothing once a real card is in', async () => {
    const m = backend();
    await loadScreens(); // the screens after the first are fetched when shown (tests/lazy.test.ts)
    render(App);
    await settle(10);
    for (const name of ['カード', '署名する', '検証する', '暗証番号の変更', '履歴', '設定']) {
      await fireEvent.click(screen.getByRole('button', { name }));
      expect(screen.getByTestId('test-banner').textContent).toContain('テストカード');
    }
    cur = { ...status(), test_card: false };
    m.fire('card', { kind: 'card_inserted', reader: 'Virtual PCD 00 00' });
    await new Promise((r) => setTimeout(r, 250));
    await settle();
    expect(screen.queryByTestId('test-banner')).toBeNull();
    expect(m.callsTo('Ready').length).toBe(1);
  });
});

describe('Card screen', () => {
  it('shows every PIN with its tries left, the lock unmistakably, and reacts to the card leaving', async () => {
    const m = backend();
    cur = status({}, [pinView('sign', 5, 5), pinView('auth', 1, 3), pinView('text', 0, 3), pinView('juki', 3, 3, { available: false })]);
    await init();
    render(Card);
    await settle();
    expect(screen.getByTestId('tries-sign').textContent).toBe('残り 5 / 5 回');
    expect(screen.getByTestId('tries-auth').textContent).toBe('残り 1 / 3 回');
    expect(screen.getByText('残り 1 回: 次に間違えるとロックされます')).toBeTruthy();
    expect(screen.getByTestId('tries-text').textContent).toContain('ロック中');
    expect(screen.getByText('このカードにはありません')).toBeTruthy();
    expect(screen.getByTestId('sign-cert').textContent).toContain('暗証番号を入力したあと');
    // The card leaves: the service answers no_card and the screen says so.
    m.handlers.Status = () => {
      throw new CallError('no_card', 'リーダーにカードがありません。');
    };
    m.fire('card', { kind: 'card_removed', reader: 'Virtual PCD 00 00' });
    await new Promise((r) => setTimeout(r, 250));
    await settle();
    expect(screen.getByTestId('card-error').textContent).toContain('カードがありません');
    expect(screen.queryByTestId('pins')).toBeNull();
  });

  it('shows the signing certificate once known, in English when chosen', async () => {
    backend();
    cur = status({ sign_certificate: { holder: '署名 花子', not_before: '2025-01-01T00:00:00Z', not_after: '2030-01-01T00:00:00Z', days_left: 1500, expired: false } });
    await init();
    ui.lang = 'en';
    render(Card);
    await settle();
    expect(screen.getByTestId('sign-cert').textContent).toContain('署名 花子');
    expect(screen.getByTestId('sign-cert').textContent).toContain('1500 days left');
  });
});

async function type(el: HTMLElement, value: string) {
  await fireEvent.input(el, { target: { value } });
}

describe('PIN change', () => {
  it('explains the format first, sends the PINs with the card and tries shown, and reports a wrong PIN', async () => {
    const m = backend({
      ChangePIN: () => {
        cur = status({}, [pinView('sign', 5, 5), pinView('auth', 2, 3), pinView('text', 3, 3), pinView('juki', 3, 3)]);
        throw new CallError('pin_wrong', '暗証番号が違います。残り 2 回です。', 2);
      },
    });
    await init();
    app.pinTarget = 'auth';
    render(PinChange);
    await settle();
    expect(screen.getByTestId('pin-rules').textContent).toContain('rule auth');
    const submit = screen.getByTestId('pin-submit') as HTMLButtonElement;
    await type(screen.getByTestId('pin-current'), '9999');
    await type(screen.getByTestId('pin-new'), '1111');
    await type(screen.getByTestId('pin-again'), '1112');
    expect(submit.disabled).toBe(true); // the new PINs differ
    expect(screen.getByText('新しい暗証番号が一致しません。')).toBeTruthy();
    await type(screen.getByTestId('pin-again'), '1111');
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await settle();
    expect(m.callsTo('ChangePIN')).toEqual([{ reader: 'Virtual PCD 00 00', card_id: 'card-1', tries_left: 3, confirm_last_try: false, pin: 'auth', current: '9999', new: '1111' }]);
    expect(screen.getByTestId('pin-error').textContent).toBe('暗証番号が違います。残り 2 回です。');
    expect(document.activeElement).toBe(screen.getByTestId('pin-outcome')); // not <body>
    expect((screen.getByTestId('pin-current') as HTMLInputElement).value).toBe(''); // never kept
    expect(screen.getAllByTestId('entry-tries')[0].textContent).toBe('残り 2 / 3 回');
  });

  it('asks for explicit confirmation at the last try', async () => {
    const m = backend({ ChangePIN: () => null });
    cur = status({}, [pinView('sign', 5, 5), pinView('auth', 3, 3), pinView('text', 1, 3), pinView('juki', 3, 3)]);
    await init();
    app.pinTarget = 'text';
    render(PinChange);
    await settle();
    await type(screen.getByTestId('pin-current'), '1234');
    await type(screen.getByTestId('pin-new'), '4321');
    await type(screen.getByTestId('pin-again'), '4321');
    const submit = screen.getByTestId('pin-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toContain('残り 1 回です');
    await fireEvent.click(screen.getByTestId('confirm-last-try'));
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await settle();
    expect(m.callsTo('ChangePIN')[0]).toMatchObject({ tries_left: 1, confirm_last_try: true, pin: 'text' });
    expect(screen.getByTestId('pin-message').textContent).toBe('暗証番号を変更しました。');
  });

  it('does not let a locked PIN be typed', async () => {
    backend();
    cur = status({}, [pinView('sign', 0, 5), pinView('auth', 3, 3), pinView('text', 3, 3), pinView('juki', 3, 3)]);
    await init();
    app.pinTarget = 'sign';
    render(PinChange);
    await settle();
    expect((screen.getByTestId('pin-current') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('この暗証番号はロックされています。入力できません。')).toBeTruthy();
  });
});

describe('Sign screen', () => {
  it('needs files, the notice read and a valid password; sends the guard; shows progress and links, with the focus on them', async () => {
    let release: () => void = () => {};
    const m = backend({
      Sign: (req: any) =>
        new Promise<SignResponse>((resolve) => {
          release = () =>
            resolve({
              job: req.job, signed: 1, total: 2,
              results: [
                { ref: req.files[0], name: 'a.txt', ok: true, output: 'r1/a.txt.p7s', output_name: 'a.txt.p7s' },
                { ref: req.files[1], name: 'b.txt', ok: false, code: 'output_exists', message: '署名済みファイルが既にあります。' },
              ],
            });
        }),
      CancelSign: () => null,
    });
    await init();
    render(Sign);
    await settle();
    const submit = screen.getByTestId('sign-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect(screen.getByTestId('disclosure').textContent).toContain('氏名・住所・生年月日・性別');
    // The default form: two plain choices; the technical ones are folded away.
    expect((screen.getByTestId('kind-pdf') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('sign-advanced') as HTMLDetailsElement).open).toBe(false);
    await fireEvent.click(screen.getByTestId('kind-other'));
    const input = screen.getByTestId('sign-files') as HTMLInputElement;
    await fireEvent.change(input, { target: { files: [new File(['x'], 'a.txt'), new File(['y'], 'b.txt')] } });
    await settle();
    expect(within(screen.getByTestId('file-list')).getAllByRole('listitem').length).toBe(2);
    await type(screen.getByTestId('sign-pin'), 'test1');
    expect(submit.disabled).toBe(true); // too short, notice not accepted
    expect(screen.getByTestId('sign-missing').textContent).toContain('注意事項を確認');
    await fireEvent.click(screen.getByTestId('accept-disclosure'));
    await type(screen.getByTestId('sign-pin'), 'test1234');
    expect(submit.disabled).toBe(false);
    submit.focus();
    await fireEvent.click(submit);
    await settle();
    const req = m.callsTo('Sign')[0];
    expect(req).toMatchObject({ reader: 'Virtual PCD 00 00', card_id: 'card-1', tries_left: 5, confirm_last_try: false, pin: 'test1234', accept_disclosure: true, files: ['r1/a.txt', 'r2/b.txt'], format: 'cms', level: 'b-b', enveloping: false });
    expect(req.stamps).toBeUndefined();
    expect((screen.getByTestId('sign-pin') as HTMLInputElement).value).toBe('');
    // The button is disabled while signing: the focus is on the progress, not on <body>.
    expect(document.activeElement).toBe(screen.getByTestId('sign-outcome'));
    m.fire('sign.progress', { job: req.job, done: 1, total: 2, result: { ok: true } });
    m.fire('sign.progress', { job: 'another', done: 2, total: 2 });
    await settle();
    expect(screen.getByTestId('progress').getAttribute('aria-valuenow')).toBe('1');
    expect(screen.getByTestId('progress').textContent).toContain('1 / 2 件');
    await fireEvent.click(screen.getByTestId('sign-cancel'));
    expect(m.callsTo('CancelSign')).toEqual([req.job]);
    release();
    await settle();
    const res = screen.getByTestId('sign-results');
    expect(document.activeElement).toBe(res);
    expect(res.textContent).toContain('2 件中 1 件に署名しました。');
    expect(res.querySelector('a')!.getAttribute('href')).toBe('./api/download?ref=r1%2Fa.txt.p7s');
    expect(res.textContent).toContain('署名済みファイルが既にあります。');
    // Signing again sends only the file that failed; the first keeps its link.
    expect(submit.textContent).toContain('1 件に署名する');
    await fireEvent.click(screen.getByTestId('accept-disclosure'));
    await fireEvent.click(screen.getByTestId('accept-disclosure'));
    await type(screen.getByTestId('sign-pin'), 'test1234');
    m.handlers.Sign = (r: any) => ({ job: r.job, signed: 1, total: 1, results: [{ ref: r.files[0], name: 'b.txt', ok: true, output: 'r2/b.txt.p7s', output_name: 'b.txt.p7s' }] });
    await fireEvent.click(submit);
    await settle();
    expect(m.callsTo('Sign')[1].files).toEqual(['r2/b.txt']);
    const links = [...screen.getByTestId('sign-results').querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['./api/download?ref=r1%2Fa.txt.p7s', './api/download?ref=r2%2Fb.txt.p7s']);
  });

  it('keeps a stamp with its own document, and a PDF form refuses other files before the password is used', async () => {
    const m = backend({
      Sign: () => {
        throw new CallError('pin_wrong', '暗証番号が違います。残り 4 回です。', 4);
      },
    });
    await init();
    render(Sign);
    await settle();
    await fireEvent.change(screen.getByTestId('sign-files'), { target: { files: [new File(['%PDF-1.4'], 'a.pdf'), new File(['%PDF-1.4'], 'b.pdf'), new File(['x'], 'c.txt')] } });
    await settle();
    await fireEvent.click(screen.getByTestId('accept-disclosure'));
    await type(screen.getByTestId('sign-pin'), 'WRONG1');
    const submit = screen.getByTestId('sign-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect(screen.getByTestId('sign-missing').textContent).toContain('PDF でないファイルを外す');
    await fireEvent.click(screen.getByRole('button', { name: '外す: c.txt' }));
    // a.pdf wants a stamp: the button waits for its place.
    await fireEvent.click(screen.getByTestId('stamp-on'));
    expect(submit.disabled).toBe(true);
    expect(screen.getByTestId('sign-missing').textContent).toContain('スタンプを付ける PDF でその位置を選ぶ');
    expect(screen.getByTestId('stamp-where').textContent).toContain('クリックして');
    // b.pdf has no stamp of its own: the tick does not follow to it.
    await fireEvent.click(screen.getByRole('button', { name: 'b.pdf' }));
    expect((screen.getByTestId('stamp-on') as HTMLInputElement).checked).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'a.pdf' }));
    expect((screen.getByTestId('stamp-on') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByTestId('stamp-on'));
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    await settle();
    const err = screen.getByTestId('sign-error');
    expect(err.textContent).toBe('暗証番号が違います。残り 4 回です。');
    expect(document.activeElement).toBe(err);
    expect(m.callsTo('Sign')[0]).toMatchObject({ format: 'pades', files: ['r1/a.pdf', 'r2/b.pdf'] });
    expect(m.callsTo('Sign')[0].stamps).toBeUndefined();
    expect(m.callsTo('Status').length).toBeGreaterThanOrEqual(2); // refreshed after the try
  });
});

function report(over: Partial<FileReport> = {}): FileReport {
  return {
    ref: 'r9/x.signed.pdf', name: 'x.signed.pdf', file: '/w/x.signed.pdf', kind: 'pdf', sha256: 'ab', size: 10, indication: 'PASSED', errors: null,
    signatures: [
      { index: 1, type: 'signature', format: 'PAdES', indication: 'PASSED', sentence: { ja: '署名 花子 の署名は有効です。', en: 'valid' }, intact: true, covers_whole_file: false, changes_after: 'allowed', changes: [{ kind: 'signature_added', allowed: true, why: 'later_signature', text: { ja: '別の署名が追加されました（署名のあとに署名を加えることは認められています）', en: 'another signature was added (adding signatures after a signature is permitted)' }, detail: 'a later signature (object 12)' }], signer: { name: '署名 花子', subject: '', issuer: 'Shomei Test CA', not_before: '', not_after: '' }, signing_time: null, timestamp: null, trust_anchor: { name: 'Shomei Test CA', source: 'user', test: true }, chain: 'ok', revocation: { status: 'not_checked' }, errors: null, warnings: null },
      { index: 2, type: 'signature', format: 'PAdES', indication: 'FAILED', subindication: 'HASH_FAILURE', sentence: { ja: '署名後に内容が書き換えられています。', en: 'altered' }, intact: false, covers_whole_file: true, changes_after: 'none', changes: null, signer: null, signing_time: null, timestamp: null, trust_anchor: null, chain: 'no_chain', revocation: { status: 'not_checked' }, errors: [{ code: 'digest_mismatch', text: { ja: '文書のダイジェストが署名されたものと一致しません。', en: 'digest' } }], warnings: null },
    ],
    ...over,
  };
}

describe('Verify screen', () => {
  it('gives a verdict per signature at a glance, details on demand, and shows what an earlier signature covered', async () => {
    const m = backend({
      Verify: () => [report()],
      ExtractRevision: () => ({ ref: 'r9/x.signed-rev-1.pdf', name: 'x.signed-rev-1.pdf', size: 5, pdf: true }),
      Texts: () => ({ 'verify.change.signature_added': '別の署名が追加されました' }),
    });
    await init();
    app.verifyQueue = [{ ref: 'r9/x.signed.pdf', name: 'x.signed.pdf', size: 0, pdf: true }];
    render(Verify);
    await settle();
    expect(m.callsTo('Verify')).toEqual([{ files: ['r9/x.signed.pdf'] }]);
    const sigs = screen.getAllByTestId('verify-sig');
    expect(sigs.map((s) => s.dataset.verdict)).toEqual(['valid', 'invalid']);
    expect(within(sigs[0]).getByTestId('verdict').textContent).toBe('有効');
    expect(sigs[0].textContent).toContain('署名 花子 の署名は有効です。');
    expect(sigs[0].textContent).toContain('テスト用の信頼の起点です');
    // Changes in words (what, and why it is allowed or not, from the backend); the verifier's codes
    // in the folded technical block, its English detail only in the English UI.
    expect(within(sigs[0]).getByTestId('verify-changes').textContent).toBe('別の署名が追加されました（署名のあとに署名を加えることは認められています）');
    const tech = within(sigs[0]).getByTestId('verify-technical');
    expect(tech.hasAttribute('data-technical')).toBe(true);
    expect((tech as HTMLDetailsElement).open).toBe(false);
    expect(tech.textContent).toContain('signature_added');
    expect(tech.textContent).not.toContain('a later signature (object 12)');
    expect(within(sigs[1]).getByTestId('verify-problems').textContent).toBe('文書のダイジェストが署名されたものと一致しません。');
    expect(document.activeElement).toBe(screen.getByTestId('verify-report')); // the new report has the focus
    expect(within(sigs[1]).getByTestId('verdict').textContent).toBe('無効');
    expect(within(sigs[1]).queryByTestId('show-signed')).toBeNull();
    expect(sigs[0].querySelector('details')!.open).toBe(false);
    await fireEvent.click(within(sigs[0]).getByTestId('show-signed'));
    await settle();
    expect(m.callsTo('ExtractRevision')).toEqual([{ ref: 'r9/x.signed.pdf', index: 1 }]);
    expect(sigs[0].querySelector('a')!.textContent).toBe('x.signed-rev-1.pdf');
  });
});

describe('Verify screen: the rendering comparison', () => {
  it('shows the signed and the current drawing of each page that differs side by side, the difference framed; one line when the pages are the same', async () => {
    const failed = report().signatures![0];
    const pic = (tag: string) => 'data:image/png;base64,' + tag;
    const m = backend({
      Verify: () => [
        report({
          indication: 'FAILED',
          signatures: [
            { ...failed, indication: 'FAILED', subindication: 'FORMAT_FAILURE', changes_after: 'disallowed', rendering: { status: 'different', pages: 3, dpi: 72, masked: 0, differs: [{ page: 2, reason: 'content', pixels: 900, box: [0.1, 0.4, 0.5, 0.5] }, { page: 3, reason: 'missing', pixels: 0, box: [0, 0, 1, 1] }] } },
            { ...failed, index: 2, rendering: { status: 'same', pages: 3, dpi: 72, masked: 1, differs: [] } },
          ],
        }),
      ],
      ComparePage: (a: { page: number }) => ({ page: a.page, signed: a.page === 3 ? pic('S3') : pic('S' + a.page), now: a.page === 3 ? '' : pic('N' + a.page) }),
    });
    await init();
    app.verifyQueue = [{ ref: 'r9/x.signed.pdf', name: 'x.signed.pdf', size: 0, pdf: true }];
    render(Verify);
    await settle();
    await settle();
    const sigs = screen.getAllByTestId('verify-sig');
    const cmp = within(sigs[0]).getByTestId('render-compare');
    expect(m.callsTo('ComparePage')).toEqual([{ ref: 'r9/x.signed.pdf', index: 1, page: 2 }]);
    const pair = within(cmp).getByTestId('render-pair');
    expect(pair.dataset.page).toBe('2');
    const signed = within(pair).getByTestId('render-signed');
    const now = within(pair).getByTestId('render-now');
    expect(signed.querySelector('img')!.getAttribute('src')).toBe(pic('S2'));
    expect(now.querySelector('img')!.getAttribute('src')).toBe(pic('N2'));
    expect(signed.textContent).toContain('署名された版 — 2 ページ目');
    expect(now.textContent).toContain('今の表示 — 2 ページ目');
    const frame = now.querySelector('.frame') as HTMLElement;
    expect(frame.style.left).toBe('10%');
    expect(frame.style.top).toBe('40%');
    expect(frame.style.width).toBe('40%');
    // Page 3 is gone now: said in words, not an empty picture.
    const buttons = within(cmp).getAllByTestId('render-page');
    expect(buttons.map((b) => b.textContent)).toEqual(['2 ページ目', '3 ページ目']);
    await fireEvent.click(buttons[1]);
    await settle();
    expect(m.callsTo('ComparePage')[1]).toEqual({ ref: 'r9/x.signed.pdf', index: 1, page: 3 });
    expect(within(cmp).getByTestId('render-now').textContent).toContain('この版にはこのページがありません。');
    expect(within(cmp).getByTestId('render-now').querySelector('img')).toBeNull();
    // The other signature's pages are as signed: one line, no pictures.
    expect(within(sigs[1]).queryByTestId('render-compare')).toBeNull();
    expect(within(sigs[1]).getByTestId('render-same').textContent).toContain('全 3 ページを描いて比べました');
  });
});

describe('Verify screen: a file that cannot be verified', () => {
  it('says so in Japanese, with the finding in Japanese in the folded technical block and no English detail', async () => {
    backend({ Verify: () => [report({ signatures: [], indication: 'INDETERMINATE', errors: [{ code: 'not_a_signature', text: { ja: 'PDF でも署名データ（CMS）でもありません。', en: 'This is neither a PDF nor a CMS signature.' }, detail: 'asn1: structure error' }] })] });
    await init();
    app.verifyQueue = [{ ref: 'r9/x.bin', name: 'x.bin', size: 0, pdf: false }];
    render(Verify);
    await settle();
    const rep = screen.getByTestId('verify-report');
    expect(screen.getByTestId('verify-file-error').textContent).toContain('このファイルは検証できませんでした');
    const tech = rep.querySelector('details[data-technical]') as HTMLDetailsElement;
    expect(tech.open).toBe(false);
    expect(tech.textContent).toContain('PDF でも署名データ（CMS）でもありません。');
    expect(tech.textContent).not.toContain('asn1');
    expect(tech.textContent).not.toContain('neither');
    expect(document.activeElement).toBe(rep);
  });
});

describe('History screen', () => {
  it('shows whether the chain verifies, the rows, filters and export', async () => {
    const m = backend({
      History: () => ({
        records: [
          { seq: 2, time: '2026-11-01T10:00:00Z', kind: 'sign', op: '署名', result: '成功', ok: true, file: 'a.pdf', detail: 'PADES B-B TEST' },
          { seq: 1, time: '2026-11-01T09:00:00Z', kind: 'pin_change', op: '暗証番号の変更', result: '暗証番号が違います。残り 2 回です。', ok: false },
        ],
        total: 2, more: false, chain_ok: true, chain_message: '履歴は改ざんされていません（2 件、#1〜#2）。', head: 'ff',
      }),
      ExportHistory: () => ({ ref: 'e1/shomei-history.csv', name: 'shomei-history.csv', size: 100, pdf: false }),
    });
    await init();
    render(History);
    await settle();
    expect(screen.getByTestId('history-chain').dataset.ok).toBe('true');
    const rows = screen.getByTestId('history-table').querySelectorAll('tbody tr');
    expect(rows.length).toBe(2);
    expect(rows[1].classList.contains('bad')).toBe(true);
    await fireEvent.change(screen.getByTestId('history-op'), { target: { value: 'sign' } });
    await type(screen.getByTestId('history-text'), 'a.pdf');
    await fireEvent.click(screen.getByRole('button', { name: '絞り込む' }));
    await settle();
    expect(m.callsTo('History').at(-1)).toEqual({ op: 'sign', text: 'a.pdf' });
    await fireEvent.click(screen.getByTestId('export-csv'));
    await settle();
    expect(m.callsTo('ExportHistory').at(-1)).toEqual({ format: 'csv', query: { op: 'sign', text: 'a.pdf' } });
    expect(screen.getByText(/書き出しました/).querySelector('a')!.getAttribute('href')).toContain('e1%2Fshomei-history.csv');
  });
});

describe('Settings screen', () => {
  it('switches the language, lists anchors with TEST labelled, and takes the card roots', async () => {
    const test = { id: 'AB', name: 'Shomei Test CA - NOT FOR PRODUCTION', source: 'user', test: true, sha256: 'AB'.repeat(32), subject: '', not_after: '2035-01-01T00:00:00Z', expired: false };
    const m = backend({
      Anchors: () => [],
      AddCardRoots: () => [test],
      SaveSettings: (s: any) => s,
    });
    await init();
    render(Settings);
    await settle();
    await fireEvent.click(screen.getByTestId('anchor-from-card'));
    await settle();
    const a = screen.getByTestId('anchor');
    expect(a.textContent).toContain('テスト用');
    expect(a.closest('ul')!.previousElementSibling!.textContent).toContain('テスト用');
    await fireEvent.change(screen.getByTestId('language'), { target: { value: 'en' } });
    await settle();
    expect(m.callsTo('SaveSettings')).toEqual([{ language: 'en', tsa: '' }]);
    expect(ui.lang).toBe('en');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Settings');
  });
});
