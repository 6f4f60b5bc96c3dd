// Contrast of colours as WCAG 2 defines it (relative luminance of sRGB),
// for the focus ring's check: WCAG 2.2's non-text contrast asks 3:1 between
// a focus indicator and the colours next to it. Used by the Vitest that
// reads the style sheets and by the end-to-end run that reads the computed
// styles of every element the keyboard reaches.

// parse reads #rgb, #rrggbb, rgb() and rgba(); a colour with alpha is laid
// over `under` (white by default). null for anything else.
export function parse(css, under = [255, 255, 255]) {
  const s = String(css).trim().toLowerCase();
  let rgb;
  let a = 1;
  let m;
  if ((m = s.match(/^#([0-9a-f]{3})$/))) rgb = [...m[1]].map((c) => parseInt(c + c, 16));
  else if ((m = s.match(/^#([0-9a-f]{6})$/))) rgb = [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  else if ((m = s.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/))) {
    rgb = [m[1], m[2], m[3]].map(Number);
    if (m[4] !== undefined) a = m[4].endsWith('%') ? parseFloat(m[4]) / 100 : Number(m[4]);
  } else if (s === 'white') rgb = [255, 255, 255];
  else if (s === 'black') rgb = [0, 0, 0];
  else return null;
  return rgb.map((v, i) => v * a + under[i] * (1 - a));
}

export function alpha(css) {
  const m = String(css).match(/^rgba\(.*[,/]\s*([\d.]+)\s*\)$/);
  return m ? Number(m[1]) : css === 'transparent' ? 0 : 1;
}

function luminance([r, g, b]) {
  const lin = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

// ratio is the contrast of two colours (CSS strings or [r, g, b]), 1 to 21.
export function ratio(a, b) {
  const x = luminance(Array.isArray(a) ? a : parse(a));
  const y = luminance(Array.isArray(b) ? b : parse(b));
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
