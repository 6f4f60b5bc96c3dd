// The check that keeps English and i18n keys out of the Japanese UI
// (e2e/lang.mjs, run on every screen of the end-to-end tests): fed the text
// people actually met, it must fail; fed what the screens legitimately show,
// it must pass. Then the screens themselves, in jsdom, and the labels used
// in the source.
import { describe, expect, it, beforeEach } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { collect, foreign, type Item } from '../e2e/lang.mjs';
import App from '../src/App.svelte';
import { loadScreens } from '../src/lib/screens.svelte';
import { app } from '../src/lib/state.svelte';
import { hasKey, ui } from '../src/lib/i18n.svelte';
import { appMock, settle } from './mock';

const item = (text: string, over: Partial<Item> = {}): Item => ({ text, where: 'p', kind: 'text', technical: false, inDetails: false, ...over });
const fails = (text: string, over: Partial<Item> = {}, known: string[] = []) => foreign([item(text, over)], { known });

describe('the language check', () => {
  it('fails on each kind of text a person met in the Japanese UI', () => {
    const met = [
      'annotation_added: /Annots modified', // a raw change code and its detail
      'no path from "CN=Shomei Test CA - NOT FOR PRODUCTION" to a trust anchor (issuer "CN=x")',
      '出力ファイルが既にあります。上書きするには --overwrite を付けてください。', // a CLI flag
      'verify.rev.', // an i18n key, shown as itself
      '失効確認: verify.rev.good',
      'sign.need.stamp',
      'usage: shomei sign [flags] FILE...', // an English usage error
      'Error: unknown flag: --colour',
      'Wrong PIN. 2 tries left.',
      'PADES B-B TEST', // the history's detail column
      '自動（PDF は PAdES、その他は CMS）', // format names on the default form
      'mm/dd/yyyy', // a date field in the browser's locale
      'TEST: テスト用（本番では無効）',
      '署名 / Signature',
      '1 ページ目、左から 88 pt、下から 226 pt',
      'the certificate is a trust anchor',
    ];
    for (const text of met) expect(fails(text), text).toHaveLength(1);
    expect(fails('verify.rev.')[0].why).toMatch(/i18n key/);
    expect(fails('上書きするには --overwrite を付けて')[0].why).toBe('Latin text: overwrite');
  });

  it('passes Japanese with the short list of names that are Latin in Japanese too', () => {
    const fine = [
      '署名 Shomei',
      'スマートフォンの「JPKI暗証番号リセットアプリ」で予約し、コンビニ等のキオスク端末で再設定できます。',
      'アプリには NFC 対応のスマートフォンが必要です（タブレットは不可）。',
      '署名は別のファイル（.p7s）に保存されます。',
      '取り消す同意（.consent.p7m）をここにドロップ',
      '英大文字（A〜Z）と数字（0〜9）の 6〜16 文字',
      '998 B', '1.2 MB', 'SHA-256', 'J-LIS（公的個人認証）', 'e-Gov 電子申請', 'CSV で書き出す', 'タイムスタンプサーバーの URL',
      '実際のカードは、この PC ではなく J-LIS の端末で再設定します。',
      '2026-12-03 17:05:12',
    ];
    for (const text of fine) expect(fails(text), text).toEqual([]);
  });

  it('lets through only what the run says came from outside: file names, the reader, certificate names', () => {
    const known = ['contract.signed.pdf', 'Virtual PCD 00 00', 'Shomei Test CA - NOT FOR PRODUCTION'];
    expect(fails('contract.signed.pdf を検証しました', {}, known)).toEqual([]);
    expect(fails('マイナンバーカード（JPKIAPICCTOKEN2、Virtual PCD 00 00）', {}, known)).toHaveLength(1); // the card label is not known
    expect(fails('マイナンバーカード（JPKIAPICCTOKEN2、Virtual PCD 00 00）', {}, [...known, 'JPKIAPICCTOKEN2'])).toEqual([]);
    expect(fails('other.pdf', {}, known)).toHaveLength(1); // a file name nobody chose
  });

  it('holds marked data to what it claims to be', () => {
    expect(fails('92db 0905 5df9 9e7f…', { verbatim: 'hash' })).toEqual([]);
    expect(fails('no hash here', { verbatim: 'hash' })).toHaveLength(1);
    expect(fails('/tmp/shomei-e2e-x/data', { verbatim: 'path' })).toEqual([]);
    expect(fails('see the README', { verbatim: 'path' })).toHaveLength(1);
    expect(fails('SHOMEI_DATA_DIR', { verbatim: 'env' })).toEqual([]);
    expect(fails('anything', { verbatim: 'english' })).toHaveLength(1);
  });

  it('allows technical details only inside a <details> block', () => {
    expect(fails('PASSED / none (ETSI.CAdES.detached)', { technical: true, inDetails: true })).toEqual([]);
    expect(fails('PASSED / none (ETSI.CAdES.detached)', { technical: true, inDetails: false })).toHaveLength(1);
  });

  it('collects what a page shows: text, accessible names, options; not what a closed block hides, but its summary; not what is marked as another language', () => {
    document.body.innerHTML = `
      <main>
        <p>ファイルに署名する</p>
        <button aria-label="Close">×</button>
        <select><option>日本語</option><option>English option</option><option lang="en">English</option></select>
        <p lang="ja">Japanese, it says</p>
        <details><summary>詳細</summary><p>no path from "CN=x"</p></details>
        <details data-technical><summary>Technical</summary><p>PASSED / none</p></details>
        <details open><summary>詳細</summary><p>失効確認: verify.rev.</p>
          <details data-technical open><summary>技術情報</summary><p>chain: no_chain</p></details>
        </details>
        <p data-technical>ETSI PASSED</p>
        <p>1 / 2 件 <code data-verbatim="hash">ab12 cd34…</code></p>
      </main>`;
    const items = collect();
    const texts = items.map((i) => i.text);
    expect(texts).toContain('ファイルに署名する');
    expect(texts).not.toContain('no path from "CN=x"'); // folded away
    const problems = foreign(items).map((p) => p.why + ' ' + p.text);
    expect(problems).toEqual([
      'Latin text: Close Close',
      'Latin text: English option English option',
      'Latin text: Japanese it says Japanese, it says', // marked Japanese, is not
      'Latin text: Technical Technical', // a technical block's summary is for everyone
      'i18n key: verify.rev. 失効確認: verify.rev.',
      'technical text outside a <details> block ETSI PASSED',
    ]);
    document.body.innerHTML = '';
  });
});

describe('the screens in jsdom', () => {
  beforeEach(() => {
    ui.lang = 'ja';
    app.screen = 'card';
    app.status = null;
  });

  it('show no English or key on any screen reached from the navigation', async () => {
    appMock({
      Info: () => ({ mode: 'web', version: '0.1.0', data_dir: '/home/a/.local/share/shomei', features: ['verify', 'history', 'trust'] }),
      History: () => ({ records: [], total: 0, more: false, chain_ok: true, chain_message: '履歴は空です。', head: '' }),
      Anchors: () => [],
      Consents: () => [],
      CounterStatus: () => ({ kind: 'mynumber_card', test_card: true, action: 'nothing_to_do', shown: true, kind_text: 'マイナンバーカード', line: '対応は必要ありません。', pin_list: [], reset_here: false }),
    });
    await loadScreens(); // the screens after the first are fetched when shown (tests/lazy.test.ts)
    render(App);
    await settle(10);
    const names = ['カード', '署名する', '検証する', '同意', '電子申請', '暗証番号の変更', '履歴', '窓口モード', '設定'];
    for (const name of names) {
      await fireEvent.click(screen.getByRole('button', { name }));
      await settle(5);
      expect(document.querySelector('main section, main h2')).toBeTruthy(); // the screen is there to be read
      // The stand-in card's names: in the real card these come from the card.
      const problems = foreign(collect(), { known: ['Virtual PCD 00 00', 'JPKIAPICCTOKEN2', 'PIN sign', 'PIN auth', 'PIN text', 'PIN juki', 'rule sign', 'rule auth'] });
      expect(problems.map((p) => `${name}: ${p.why}: ${p.text}`)).toEqual([]);
    }
  });
});

describe('labels in the source', () => {
  it('exist for every t("…") the screens call with a fixed key', () => {
    const sources = import.meta.glob('../src/**/*.{svelte,ts}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    const used = new Set<string>();
    for (const text of Object.values(sources)) for (const m of text.matchAll(/\bt\('([a-z][\w.-]*[\w-])'\s*[,)]/g)) used.add(m[1]);
    expect(used.size).toBeGreaterThan(150);
    expect([...used].filter((k) => !hasKey(k))).toEqual([]);
  });
});
