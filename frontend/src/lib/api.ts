// The one module that talks to the Go service (app/uiservice). In the desktop app
// it calls the Wails bindings (window.go.uiservice.Service) and listens to Wails
// events; in a browser it calls `shomei serve`'s HTTP API with this launch's
// token and listens to its server-sent events. Screens never see which.

import type { FileInfo } from './types';

export class CallError extends Error {
  code: string;
  triesLeft?: number;
  constructor(code: string, message: string, triesLeft?: number) {
    super(message);
    this.code = code;
    this.triesLeft = triesLeft;
  }
}

export interface Transport {
  kind: 'desktop' | 'web' | 'test';
  call<T>(method: string, arg?: unknown): Promise<T>;
  on(event: string, cb: (data: any) => void): () => void;
  // Browser only: send a file the user dropped or chose; the desktop app
  // gets paths and asks Describe instead.
  upload?(file: File, onProgress?: (sent: number) => void): Promise<FileInfo>;
  // A link that downloads (or, inline, opens) a file the service wrote.
  fileURL?(ref: string, inline?: boolean): string;
  // Desktop only: paths of files dropped on the window.
  onDropPaths?(cb: (paths: string[]) => void): () => void;
}

// toCallError reads what a failed call carries: {code, message, tries_left}
// as JSON (Wails rejects with the error's text, which app/uiservice makes JSON).
export function toCallError(e: unknown): CallError {
  if (e instanceof CallError) return e;
  let v: any = e;
  // Wails may reject with an Error whose message is the JSON text.
  if (e instanceof Error && e.message.startsWith('{')) e = e.message;
  else if (e && typeof e === 'object' && !('code' in e) && typeof (e as any).message === 'string' && (e as any).message.startsWith('{')) e = (e as any).message;
  if (typeof e === 'string') {
    try {
      v = JSON.parse(e as string);
    } catch {
      return new CallError('internal', e as string);
    }
  }
  if (v && typeof v === 'object' && 'error' in v && typeof v.error === 'object') v = v.error;
  if (v && typeof v === 'object' && typeof v.code === 'string') {
    return new CallError(v.code, String(v.message ?? v.code), typeof v.tries_left === 'number' ? v.tries_left : undefined);
  }
  return new CallError('internal', e instanceof Error ? e.message : String(e));
}

declare global {
  interface Window {
    go?: { uiservice?: { Service?: Record<string, (...args: unknown[]) => Promise<unknown>> } };
    runtime?: {
      EventsOn(name: string, cb: (...data: any[]) => void): () => void;
      OnFileDrop?(cb: (x: number, y: number, paths: string[]) => void, useDropTarget: boolean): void;
      OnFileDropOff?(): void;
    };
  }
}

function wails(): Transport | null {
  const svc = window.go?.uiservice?.Service;
  if (!svc || !window.runtime) return null;
  return {
    kind: 'desktop',
    async call<T>(method: string, arg?: unknown): Promise<T> {
      const f = svc[method];
      if (!f) throw new CallError('no_method', method);
      try {
        return (await (arg === undefined ? f() : f(arg))) as T;
      } catch (e) {
        throw toCallError(e);
      }
    },
    on(event, cb) {
      return window.runtime!.EventsOn(event, cb);
    },
    onDropPaths(cb) {
      dropListeners.add(cb);
      if (!dropHooked && window.runtime?.OnFileDrop) {
        dropHooked = true;
        window.runtime.OnFileDrop((_x, _y, paths) => {
          for (const l of dropListeners) l(paths);
        }, false);
      }
      return () => dropListeners.delete(cb);
    },
  };
}

const dropListeners = new Set<(paths: string[]) => void>();
let dropHooked = false;

const TOKEN_KEY = 'shomei.token';

// The token comes in the URL the server printed; it is kept for this tab
// only (a reload keeps working) and taken out of the address bar.
function token(): string {
  const url = new URL(window.location.href);
  const t = url.searchParams.get('token');
  if (t) {
    try {
      sessionStorage.setItem(TOKEN_KEY, t);
    } catch {
      /* storage may be off: the token then lives in memory only */
    }
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return t;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function http(): Transport {
  const tok = token();
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(d: any) => void>>();
  const ensure = (event: string) => {
    if (!source) source = new EventSource('./api/events?token=' + encodeURIComponent(tok));
    if (!listeners.has(event)) {
      const set = new Set<(d: any) => void>();
      listeners.set(event, set);
      source.addEventListener(event, (m) => {
        const data = JSON.parse((m as MessageEvent).data);
        for (const cb of set) cb(data);
      });
    }
    return listeners.get(event)!;
  };
  const fail = async (r: Response) => {
    let body: unknown = null;
    try {
      body = await r.json();
    } catch {
      /* not JSON */
    }
    const e = toCallError(body);
    if (e.code === 'internal' && !body) return new CallError('http_' + r.status, r.statusText);
    return e;
  };
  return {
    kind: 'web',
    async call<T>(method: string, arg?: unknown): Promise<T> {
      const r = await fetch('./api/call/' + method, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shomei-Token': tok },
        body: arg === undefined ? '' : JSON.stringify(arg),
        credentials: 'omit',
        cache: 'no-store',
      });
      if (!r.ok) throw await fail(r);
      return (await r.json()).result as T;
    },
    on(event, cb) {
      const set = ensure(event);
      set.add(cb);
      return () => set.delete(cb);
    },
    upload(file: File, onProgress?: (sent: number) => void): Promise<FileInfo> {
      // XMLHttpRequest reports upload progress; fetch does not.
      return new Promise((resolve, reject) => {
        const x = new XMLHttpRequest();
        x.open('POST', './api/upload?name=' + encodeURIComponent(file.name));
        x.setRequestHeader('X-Shomei-Token', tok);
        x.setRequestHeader('Content-Type', 'application/octet-stream');
        x.upload.onprogress = (e) => onProgress?.(e.loaded);
        x.onload = () => {
          let body: any = null;
          try {
            body = JSON.parse(x.responseText);
          } catch {
            /* empty */
          }
          if (x.status === 200) resolve(body.result as FileInfo);
          else reject(body ? toCallError(body) : new CallError('http_' + x.status, x.statusText));
        };
        x.onerror = () => reject(new CallError('network', 'network error'));
        x.send(file);
      });
    },
    fileURL(ref: string, inline = false) {
      return './api/download?ref=' + encodeURIComponent(ref) + '&token=' + encodeURIComponent(tok) + (inline ? '&inline=1' : '');
    },
  };
}

let current: Transport | null = null;

// api is the transport in use: set by tests, else detected once.
export function api(): Transport {
  if (!current) current = wails() ?? http();
  return current;
}

export function setTransport(t: Transport | null) {
  current = t;
}

export function newJobID(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// downloadURL is where the browser downloads a file the service wrote
// (none in the desktop app: the file is on the person's disk).
export function downloadURL(ref?: string): string {
  const a = api();
  return ref && a.fileURL ? a.fileURL(ref) : '';
}
