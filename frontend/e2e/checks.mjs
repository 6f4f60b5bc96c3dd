// Checks the end-to-end runs make on every screen they visit (run.mjs,
// workflows.mjs): the Japanese UI shows no English or i18n key, the focus
// ring contrasts with what surrounds it, an outcome is in the window and
// has the focus.
import assert from 'node:assert/strict';
import { collect, foreign, report } from './lang.mjs';
import { alpha, parse, ratio } from './contrast.mjs';

// japaneseOnly fails when the page, in Japanese, shows English or a key.
// known: strings from outside the UI (file names the user chose, the
// reader's and card's names, certificate names). Returns the number of
// texts looked at (0 when the UI is not in Japanese).
export async function japaneseOnly(page, name, known) {
  if ((await page.evaluate(() => document.documentElement.lang)) !== 'ja') return 0;
  const items = await page.evaluate(collect);
  assert.ok(items.length >= 3, `${name}: only ${items.length} texts found`);
  const problems = foreign(items, { known });
  assert.equal(problems.length, 0, `${name}: not Japanese:\n${report(problems)}`);
  return items.length;
}

// inView: the element's box lies in the window (at least its first 3 em
// when it is taller than the window).
export async function inView(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const h = window.innerHeight;
    const w = window.innerWidth;
    const need = Math.min(r.height, 3 * parseFloat(getComputedStyle(el).fontSize || '16'));
    return r.top >= -1 && r.top + need <= h + 1 && r.left >= 0 && r.left < w && r.height > 0;
  });
}

// focusWithin: document.activeElement is the element or inside it.
export async function focusWithin(locator) {
  return locator.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));
}

// outcomeShown asserts both, with what the focus is on when it fails.
export async function outcomeShown(page, locator, what) {
  await locator.waitFor();
  // The focus moves after Svelte's update and the scroll settles in a frame.
  for (let i = 0; i < 20 && !((await inView(locator)) && (await focusWithin(locator))); i++) await page.waitForTimeout(50);
  const active = await page.evaluate(() => {
    const a = document.activeElement;
    return a ? a.tagName.toLowerCase() + (a.getAttribute('data-testid') ? `[data-testid=${a.getAttribute('data-testid')}]` : '') : 'none';
  });
  const size = page.viewportSize();
  const box = await locator.evaluate((el) => JSON.stringify(el.getBoundingClientRect()));
  assert.ok(await inView(locator), `${what}: not in the ${size.width}×${size.height} window: ${box}`);
  assert.ok(await focusWithin(locator), `${what}: the focus is on ${active}`);
}

// focusRing tabs through the page from its top and measures, for each
// element the keyboard reaches, the ring's style and colour against the
// first opaque background behind it. Returns the measurements.
export async function focusRing(page, tabs = 40) {
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  await page.locator('body').focus();
  const out = [];
  for (let i = 0; i < tabs; i++) {
    await page.keyboard.press('Tab');
    const m = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      // What the ring is drawn on: the ring sits outside the element, so
      // the first ancestor with a background of its own.
      let bg = 'rgb(255, 255, 255)';
      const layers = [];
      for (let p = el.parentElement; p; p = p.parentElement) {
        const c = getComputedStyle(p).backgroundColor;
        if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) {
          layers.push(c);
          if (!/^rgba/.test(c)) break;
        }
      }
      if (layers.length) bg = layers;
      return {
        what: el.tagName.toLowerCase() + (el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : el.textContent ? ` "${el.textContent.trim().slice(0, 20)}"` : ''),
        focusVisible: el.matches(':focus-visible'),
        style: cs.outlineStyle,
        width: parseFloat(cs.outlineWidth),
        color: cs.outlineColor,
        bg,
      };
    });
    if (!m) continue;
    if (out.some((o) => o.what === m.what)) break; // went round
    out.push(m);
  }
  for (const m of out) {
    // Translucent backgrounds are laid over each other, white at the bottom.
    let under = [255, 255, 255];
    for (const c of [...(Array.isArray(m.bg) ? m.bg : [m.bg])].reverse()) under = alpha(c) >= 1 ? parse(c) : parse(c, under);
    m.ratio = ratio(m.color, under);
  }
  return out;
}
