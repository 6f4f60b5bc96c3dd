// jsdom lacks a few browser APIs the UI touches.
if (!('EventSource' in globalThis)) {
  (globalThis as any).EventSource = class {
    addEventListener() {}
    close() {}
  };
}
