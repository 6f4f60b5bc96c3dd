// The Japanese UI speaks Japanese: a check for the end-to-end runs that
// fails when an English sentence, a word of developer English (a raw code,
// a CLI flag, a certificate's DN) or an i18n key shows on a screen while the
// UI language is Japanese.
//
// collect() runs in the page and gathers what a person can see or hear:
// rendered text, the accessible names and hints (aria-label, title,
// placeholder, alt, aria-valuetext), every option of a visible <select>,
// and the document's title. foreign() decides, outside the page, what is
// not Japanese. Everything Latin is refused except:
//   - ALLOWED: a short list of names that are Latin in Japanese too
//     (product and standard names, byte units, the A〜Z of the password rule);
//   - file name suffixes (.p7s, .consent.p7m) and the strings the run says
//     came from outside the UI (`known`: the names of the files the user
//     chose, the reader's and the card's names, certificate names);
//   - elements marked data-verbatim="hash|path|version|env", whose text must
//     then look like what they claim (a hex digest, a file path…);
//   - technical details marked data-technical, and only inside a <details>
//     block, which is closed until the person opens it (its <summary> must
//     still be Japanese);
//   - text marked as another language with a lang attribute below <body>
//     (the language menu's "English"), which screen readers then read in
//     that language.
// Run it while the UI language is Japanese.

export const ALLOWED = ['Shomei', 'PDF', 'PC', 'IC', 'NFC', 'JPKI', 'J-LIS', 'e-Gov', 'SHA-256', 'URL', 'JSON', 'XML', 'CSV', 'B', 'KB', 'MB', 'GB', 'A〜Z'];

export const VERBATIM = {
  hash: /^[0-9a-f][0-9a-f\s…]*$/i, // a digest, whole or in groups
  path: /^(\/|~\/|[A-Za-z]:\\)\S*$/, // a folder or file on this computer
  version: /^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$/, // the program's version
  env: /^[A-Z][A-Z0-9_]*$/, // an environment variable's name
};

// collect is serialised into the page by Playwright: it must not use
// anything from this module's scope.
export function collect() {
  const out = [];
  const closedDetails = (el) => {
    for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null) {
      if (!d.open) {
        const s = d.querySelector(':scope > summary');
        if (!(s && s.contains(el))) return true;
      }
    }
    return false;
  };
  const visible = (el) => {
    if (typeof el.checkVisibility === 'function') return el.checkVisibility({ visibilityProperty: true });
    if (el.closest('[hidden]') || closedDetails(el)) return false; // jsdom
    return true;
  };
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const id = e.getAttribute('data-testid');
      parts.unshift(e.tagName.toLowerCase() + (id ? `[data-testid=${id}]` : ''));
      if (id) break;
    }
    return parts.join(' > ');
  };
  const mark = (el) => {
    const v = el.closest('[data-verbatim]');
    const tech = el.closest('[data-technical]');
    // The summary that opens a technical block is read by everyone.
    const opener = tech && tech.tagName === 'DETAILS' && el.closest('summary')?.parentElement === tech;
    const l = el.closest('body [lang]');
    return {
      lang: l ? l.getAttribute('lang') : undefined,
      verbatim: v ? v.getAttribute('data-verbatim') : undefined,
      technical: !!tech && !opener,
      inDetails: !!tech && !!tech.closest('details'),
    };
  };
  const push = (el, text, kind) => {
    const s = (text ?? '').replace(/\s+/g, ' ').trim();
    if (s) out.push({ text: s, where: where(el), kind, ...mark(el) });
  };
  if (document.title) out.push({ text: document.title, where: 'title', kind: 'title', technical: false, inDetails: false });
  for (const el of document.body.querySelectorAll('*')) {
    if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE' || el.tagName === 'OPTION') continue;
    if (!visible(el)) continue;
    let own = '';
    for (const n of el.childNodes) if (n.nodeType === 3) own += n.nodeValue;
    push(el, own, 'text');
    for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext', 'aria-description']) {
      if (el.hasAttribute(a)) push(el, el.getAttribute(a), a);
    }
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) push(el, el.value, 'value');
    if (el.tagName === 'SELECT') for (const o of el.options) push(o, o.textContent, 'option');
  }
  return out;
}

const latinWord = /[A-Za-z][A-Za-z0-9_'-]*/g;
// An i18n key: lower-case words joined by dots, possibly ending in a dot
// (verify.rev., sign.need.stamp).
const i18nKey = /(?<![A-Za-z0-9_.-])[a-z][a-z0-9_]*(?:\.[a-z0-9_-]+)+\.?|(?<![A-Za-z0-9_.-])[a-z][a-z0-9_]*\.(?![A-Za-z0-9])/g;
const suffix = /(?<![A-Za-z0-9_-])(?:\.[a-z0-9]{2,8})+(?![A-Za-z0-9_-])/g;

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function strip(text, words) {
  let t = text;
  for (const w of words) t = t.replace(new RegExp(`(?<![A-Za-z0-9_-])${escape(w)}(?![A-Za-z0-9_-])`, 'g'), ' ');
  return t;
}

// foreign returns what is not Japanese in items (from collect), each with
// the reason: [] when the screen passes.
export function foreign(items, { known = [] } = {}) {
  const problems = [];
  const byLength = (a, b) => b.length - a.length;
  const outside = [...known].filter(Boolean).sort(byLength);
  const allowed = [...ALLOWED].sort(byLength);
  for (const it of items) {
    const say = (why) => problems.push({ ...it, why });
    if (it.lang && !/^ja\b/i.test(it.lang)) continue; // marked as another language
    if (it.verbatim !== undefined) {
      const re = VERBATIM[it.verbatim];
      if (!re) say(`unknown data-verbatim="${it.verbatim}"`);
      else if (!re.test(it.text)) say(`not a ${it.verbatim}`);
      continue;
    }
    if (it.technical) {
      if (!it.inDetails) say('technical text outside a <details> block');
      continue;
    }
    // Strings from outside the UI go first: a file name may look like a key.
    let rest = outside.reduce((t, k) => t.split(k).join(' '), it.text);
    const keys = rest.match(i18nKey);
    if (keys) {
      say('i18n key: ' + keys.join(', '));
      continue;
    }
    rest = strip(rest.replace(suffix, ' '), allowed);
    const words = rest.match(latinWord);
    if (words) say('Latin text: ' + words.join(' '));
  }
  return problems;
}

// report formats problems for a failed check.
export function report(problems) {
  return problems.map((p) => `  ${p.why}\n    "${p.text}"  (${p.kind} at ${p.where})`).join('\n');
}
