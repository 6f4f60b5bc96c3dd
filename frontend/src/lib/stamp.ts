// Placing a visible stamp: the user clicks on the preview of a page; the
// stamp's centre goes there. The preview shows the page at some scale with
// its origin at the top left; PDF points have theirs at the bottom left.

import type { Stamp } from './types';

export const STAMP_W = 180; // points
export const STAMP_H = 54;

export interface PageBox {
  width: number; // page width in points (as displayed, rotation applied)
  height: number;
}

// fromClick turns a click at (cx, cy) CSS pixels inside a preview of
// cssWidth × cssHeight showing a page of box into a stamp rectangle in PDF
// points, kept whole inside the page.
export function fromClick(page: number, cx: number, cy: number, cssWidth: number, cssHeight: number, box: PageBox, w = STAMP_W, h = STAMP_H): Stamp {
  const sx = box.width / cssWidth;
  const sy = box.height / cssHeight;
  const px = cx * sx;
  const py = box.height - cy * sy; // flip: PDF y grows upwards
  w = Math.min(w, box.width);
  h = Math.min(h, box.height);
  const x = clamp(px - w / 2, 0, box.width - w);
  const y = clamp(py - h / 2, 0, box.height - h);
  return { page, x: round(x), y: round(y), w: round(w), h: round(h) };
}

// toCSS is the stamp's rectangle on the preview, for drawing it.
export function toCSS(s: Stamp, cssWidth: number, cssHeight: number, box: PageBox) {
  const kx = cssWidth / box.width;
  const ky = cssHeight / box.height;
  return { left: s.x * kx, top: (box.height - s.y - s.h) * ky, width: s.w * kx, height: s.h * ky };
}

// nudge moves a stamp by (dx, dy) points, kept inside the page (keyboard).
export function nudge(s: Stamp, dx: number, dy: number, box: PageBox): Stamp {
  return { ...s, x: round(clamp(s.x + dx, 0, box.width - s.w)), y: round(clamp(s.y + dy, 0, box.height - s.h)) };
}

function clamp(v: number, lo: number, hi: number) {
  return Math.max(lo, Math.min(hi, v));
}

function round(v: number) {
  return Math.round(v * 10) / 10;
}
