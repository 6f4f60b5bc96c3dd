// Keeping an outcome where the person is. After a button starts something
// (signing, a PIN change, a reset), that button is disabled while it runs,
// and a disabled element loses the focus to the page's <body>; the progress,
// the result or the error then appears somewhere below, on a laptop-sized
// window often below the fold. reveal moves the focus to the outcome and
// scrolls it into view, so keyboard and screen-reader users land on it and
// everyone sees it.
import { tick } from 'svelte';

// target is a getter: the outcome is usually drawn by the state change that
// precedes the call, and exists only after Svelte's next update.
export async function reveal(target: () => HTMLElement | null | undefined): Promise<void> {
  await tick();
  const el = target();
  if (!el || !el.isConnected) return;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: true });
  if (typeof el.scrollIntoView !== 'function') return; // jsdom
  // A short outcome goes to the middle (what led to it stays in sight); a
  // long one (twenty results) starts at the top of the window.
  const tall = el.getBoundingClientRect().height > window.innerHeight * 0.8;
  el.scrollIntoView({ block: tall ? 'start' : 'center', inline: 'nearest' });
}
