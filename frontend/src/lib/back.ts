// A try made by another program (the CLI, another app) sends no PC/SC
// event, so a screen that shows tries left reads the card again when the
// person comes back to this window: focus, or the page becoming visible.
// Reading tries left uses none. whenBack returns the function that stops
// listening (an $effect's or onMount's cleanup).
export function whenBack(read: () => void, win: Window = window, doc: Document = document): () => void {
  const back = () => {
    if (doc.visibilityState === 'visible') read();
  };
  win.addEventListener('focus', back);
  doc.addEventListener('visibilitychange', back);
  return () => {
    win.removeEventListener('focus', back);
    doc.removeEventListener('visibilitychange', back);
  };
}
