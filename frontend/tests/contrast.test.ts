// The focus ring against every background a control can sit on, computed
// from the style sheets themselves (app.css and each component's <style>):
// WCAG 2.2 non-text contrast asks 3:1. The ring is drawn 2px outside the
// control, so what is next to it is the background of the control's
// container, not the control's own fill: rules that paint a control
// (buttons, links styled as buttons, inputs) or a decoration that holds no
// control (badges, tags, the progress fill, the stamp's box, the striped
// test banner) are not containers. The end-to-end run measures the
// computed colours of every element the keyboard reaches as well.
import { describe, expect, it } from 'vitest';
import { parse, ratio } from '../e2e/contrast.mjs';
import appCSS from '../src/app.css?raw';

// The sources as text (Vite reads them).
const components = import.meta.glob('../src/**/*.svelte', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

function sheets(): { file: string; css: string }[] {
  const out = [{ file: 'app.css', css: appCSS }];
  for (const [path, text] of Object.entries(components)) {
    const m = text.match(/<style>([\s\S]*?)<\/style>/);
    if (m) out.push({ file: path.split('/').pop()!, css: m[1] });
  }
  return out;
}

function rules(css: string): { selector: string; body: string }[] {
  const clean = css.replace(/\/\*[\s\S]*?\*\//g, '');
  return [...clean.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({ selector: m[1].trim(), body: m[2] }));
}

const all = sheets();
const vars: Record<string, string> = {};
for (const r of rules(all[0].css)) if (r.selector === ':root') for (const m of r.body.matchAll(/(--[\w-]+):\s*([^;]+)/g)) vars[m[1]] = m[2].trim();
const resolve = (v: string) => v.replace(/var\((--[\w-]+)\)/g, (_, k) => vars[k] ?? '');

// A rule that paints a control itself, or a decoration without controls.
const notContainer = /(^|[\s>+~])(button|a|input|select|textarea)(?=$|[.:[\s])|\.(badge|tag|test|fill|stamp|answer|button|primary|kiosk-exit|text)\b|\.test-banner\b|\bnav button\b/;

describe('the focus ring', () => {
  it('is a solid line at least 2px wide, in one colour, on every focusable element', () => {
    const focus = all.flatMap((s) => rules(s.css).filter((r) => /:focus-visible/.test(r.selector)).map((r) => ({ ...r, file: s.file })));
    expect(focus.map((r) => r.file + ' ' + r.selector)).toEqual(['app.css :focus-visible']);
    const m = resolve(focus[0].body).match(/outline:\s*(\d+)px\s+solid\s+(#[0-9a-f]{3,6})/i);
    expect(m, focus[0].body).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(2);
    // Nothing turns it off for a control (containers focused by script may).
    for (const s of all) for (const r of rules(s.css)) if (/outline:\s*(none|0)/.test(r.body)) expect(['main', '.overlay', '.details'], s.file + ' ' + r.selector).toContain(r.selector);
  });

  it('has 3:1 against every background a control sits on', () => {
    const ring = resolve('var(--focus)');
    expect(parse(ring)).not.toBeNull();
    const seen: string[] = [];
    const low: string[] = [];
    const backgrounds = [{ where: ':root', value: vars['background'] ?? '#f7f7f5' }];
    for (const s of all) {
      for (const r of rules(s.css)) {
        for (const m of r.body.matchAll(/background(?:-color)?:\s*([^;]+)/g)) {
          if (r.selector.split(',').every((part) => notContainer.test(part.trim()))) continue;
          backgrounds.push({ where: `${s.file} ${r.selector}`, value: m[1] });
        }
      }
    }
    for (const b of backgrounds) {
      const colours = resolve(b.value).match(/#[0-9a-f]{3,6}\b|rgba?\([^)]*\)|\bwhite\b/gi) ?? [];
      for (const c of colours) {
        const k = ratio(ring, parse(c)!);
        seen.push(`${b.where}: ${c}`);
        if (k < 3) low.push(`${b.where}: ${c} ${k.toFixed(2)}:1`);
      }
    }
    expect(seen.length).toBeGreaterThan(15);
    expect(low).toEqual([]);
  });

  it('would have failed with the old orange ring (about 2:1 against white)', () => {
    expect(ratio('#f5a623', '#ffffff')).toBeLessThan(2.1);
    expect(ratio(resolve('var(--focus)'), '#ffffff')).toBeGreaterThan(5);
    expect(ratio('rgba(0, 0, 0, 0.5)', '#ffffff')).toBeCloseTo(ratio([127.5, 127.5, 127.5], '#fff'), 5);
  });
});
