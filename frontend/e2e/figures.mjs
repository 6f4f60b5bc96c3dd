// Figures of the web UI (scripts/ui-figures.sh runs this with pcscd up):
//  1. time from `shomei serve` start to the first page showing the card
//     status (Chromium already running with a tab open), median of 7
//     launches, with the phases between (HTML, script, DOM, first call);
//  2. responsiveness while a 1 GB PDF is signed: latency of API calls that
//     do not need the card (Info, Readers, History) and of a screen switch
//     in the browser, sampled during the signature.
// No assertion on time here: these are measurements, printed.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, appendFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = process.env.SHOMEI_BIN || join(root, 'bin', 'shomei');
const out = join(root, 'test-output', 'ui-figures-bench.txt');
const size = process.env.UI_BIG_SIZE || '1G';
const work = mkdtempSync(join(tmpdir(), 'shomei-fig-'));
const env = { ...process.env, SHOMEI_DATA_DIR: join(work, 'data'), LANG: 'C.UTF-8', LC_ALL: '' };
const procs = [];
writeFileSync(out, '');
const say = (s) => {
  console.log(s);
  appendFileSync(out, s + '\n');
};
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const stats = (xs) => `n=${xs.length} median ${q(xs, 0.5).toFixed(1)} ms, p95 ${q(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

async function serve() {
  const t0 = performance.now();
  const p = spawn(bin, ['serve', '--no-open'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  procs.push(p);
  const line = await new Promise((res) => createInterface({ input: p.stdout }).once('line', res));
  return { p, url: line.trim(), t0, tURL: performance.now() - t0 };
}

async function stop(p) {
  if (p.exitCode !== null) return;
  p.kill('SIGINT');
  await new Promise((r) => p.once('exit', r));
}

let browser;
try {
  const vc = spawn(bin, ['vcard', '--state', join(work, 'card'), '--port', '35963'], { env, stdio: 'ignore' });
  procs.push(vc);
  for (let i = 0; i < 100 && !/Virtual PCD 00 00\tcard present/.test(execFileSync(bin, ['readers'], { env, encoding: 'utf8' })); i++) await new Promise((r) => setTimeout(r, 100));

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Each launch: a fresh context (no cache from the launch before) with
  // its tab already open, as in a browser that runs; then shomei serve is
  // started and the tab is sent to the URL it prints. The page records
  // when the card's tries appear (a MutationObserver) and the frame that
  // draws them, and says so on its console; the browser's own timings give
  // the phases between. Nothing is evaluated in the page until then: a
  // waitForFunction injects Playwright's script (~100 ms of the page's main
  // thread on this machine) while the page starts, which no user's browser
  // does.
  const warm = await browser.newPage();
  await warm.goto('about:blank');
  const phases = { url: [], html0: [], html: [], jsAsked: [], js0: [], js: [], ran: [], mounted: [], fcp: [], dom: [], asked: [], start: [], shown: [], drawn: [] };
  const watchTries = () => {
    const seen = () => {
      if (!document.querySelector('[data-testid="tries-sign"]')) return false;
      window.__shown = performance.now();
      requestAnimationFrame(() => {
        window.__drawn = performance.now();
        console.debug('shomei-figures: drawn');
      });
      return true;
    };
    new MutationObserver((_, o) => seen() && o.disconnect()).observe(document, { childList: true, subtree: true });
  };
  for (let i = 0; i < Number(process.env.UI_LAUNCHES || 7); i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.addInitScript(watchTries);
    await page.goto('about:blank');
    const s = await serve();
    const drawn = page.waitForEvent('console', { predicate: (m) => m.text() === 'shomei-figures: drawn', timeout: 20000 });
    await page.goto(s.url, { waitUntil: 'commit' });
    await drawn;
    const tr = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      const js = res.find((r) => r.name.endsWith('.js'));
      const start = res.find((r) => r.name.includes('/api/call/Start'));
      // main.ts marks when the first script runs and when the UI is mounted.
      const mark = (m) => performance.getEntriesByName(m, 'mark')[0]?.startTime;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
      return { origin: performance.timeOrigin, html0: n.responseStart, html: n.responseEnd, jsAsked: js?.requestStart, js0: js?.responseStart, js: js?.responseEnd, ran: mark('shomei:run'), mounted: mark('shomei:mounted'), fcp, dom: n.domContentLoadedEventEnd, asked: start?.requestStart, start: start?.responseEnd, shown: window.__shown, drawn: window.__drawn };
    });
    // Page times are from its time origin; serve's start is s.t0 (both
    // on the wall clock of this machine).
    const off = tr.origin - (performance.timeOrigin + s.t0);
    phases.url.push(s.tURL);
    for (const k of ['html0', 'html', 'jsAsked', 'js0', 'js', 'ran', 'mounted', 'fcp', 'dom', 'asked', 'start', 'shown', 'drawn']) if (tr[k] !== undefined) phases[k].push(tr[k] + off);
    await ctx.close();
    await stop(s.p);
  }
  await warm.close();
  say(`shomei serve: start to URL line: ${stats(phases.url)}`);
  say(`shomei serve: start to the page's first byte: ${stats(phases.html0)}`);
  say(`shomei serve: start to the page's HTML received (with the card's state in it): ${stats(phases.html)}`);
  say(`shomei serve: start to the script asked for: ${stats(phases.jsAsked)}`);
  say(`shomei serve: start to the script's first byte: ${stats(phases.js0)}`);
  say(`shomei serve: start to the script received: ${stats(phases.js)}`);
  if (phases.ran.length) say(`shomei serve: start to the script run (parsed, evaluated): ${stats(phases.ran)}`);
  if (phases.mounted.length) say(`shomei serve: start to the UI mounted (first render): ${stats(phases.mounted)}`);
  if (phases.fcp.length) say(`shomei serve: start to the first contentful paint: ${stats(phases.fcp)}`);
  say(`shomei serve: start to the page's DOM loaded: ${stats(phases.dom)}`);
  // No Start call when the page carries its answer (app/web's index).
  if (phases.start.length) {
    say(`shomei serve: start to the first call sent (Start: texts, settings, card state): ${stats(phases.asked)}`);
    say(`shomei serve: start to the first call's answer: ${stats(phases.start)}`);
  }
  say(`shomei serve: start to the card status in the page: ${stats(phases.shown)}`);
  say(`shomei serve: start to first page with the card status: ${stats(phases.drawn)}`);
  if (process.env.UI_FIGURES === 'first') {
    await browser.close();
    throw 'done';
  }

  // The 1 GB signature.
  const s = await serve();
  const base = s.url.slice(0, s.url.indexOf('/?'));
  const token = s.url.split('token=')[1];
  const call = async (method, arg) => {
    const t = performance.now();
    const r = await fetch(base + '/api/call/' + method, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shomei-Token': token, Origin: base }, body: arg === undefined ? '' : JSON.stringify(arg) });
    const body = await r.json();
    return { ms: performance.now() - t, body, status: r.status };
  };
  const folder = 'f1e2d3c4b5a6978877665544';
  const dir = join(work, 'data', 'web-files', folder);
  mkdirSync(dir, { recursive: true });
  const big = join(dir, 'big.pdf');
  execFileSync(join(root, 'bin', 'benchsign'), ['-make', big, '-size', size]);
  say(`test PDF: ${(statSync(big).size / (1 << 20)).toFixed(0)} MiB (placed in the upload folder; upload time not counted)`);
  const page = await browser.newPage();
  await page.goto(s.url);
  await page.getByTestId('tries-sign').waitFor();
  const st = (await call('Status', '')).body.result;
  const t0 = performance.now();
  let done = false;
  const signing = call('Sign', { reader: st.reader, card_id: st.card_id, tries_left: 5, confirm_last_try: false, job: 'big', pin: 'TEST1234', accept_disclosure: true, files: [folder + '/big.pdf'] }).then((r) => {
    done = true;
    return r;
  });
  const lat = { Info: [], Readers: [], History: [] };
  const nav = [];
  const screens = ['署名する', '履歴', '設定', 'カード'];
  let k = 0;
  while (!done) {
    for (const m of Object.keys(lat)) {
      const r = await call(m, m === 'History' ? {} : undefined);
      if (!done) lat[m].push(r.ms);
    }
    const t = performance.now();
    const name = screens[k++ % screens.length];
    await page.getByRole('button', { name, exact: true }).first().click();
    await page.waitForFunction((n) => document.querySelector('nav button[aria-current=page]')?.textContent?.trim() === n, name);
    if (!done) nav.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 50));
  }
  const res = await signing;
  const total = performance.now() - t0;
  say(`signing ${size} PDF through the web API: ${(total / 1000).toFixed(2)} s, signed ${res.body.result?.signed}/${res.body.result?.total}`);
  for (const [m, xs] of Object.entries(lat)) if (xs.length) say(`  during it, API ${m}: ${stats(xs)}`);
  if (nav.length) say(`  during it, a screen switch in the browser: ${stats(nav)}`);
  await browser.close();
} catch (e) {
  if (e !== 'done') throw e;
} finally {
  await browser?.close().catch(() => {});
  for (const p of procs.reverse()) await stop(p).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
