// The screens after the first. The card screen is in the first script (the
// page opens on it); every other screen is a chunk of its own, fetched the
// first time it is shown, and all of them once the first page is drawn
// (prefetch), so that a later switch does not wait for the network.

import type { Component } from 'svelte';
import type { Screen } from './state.svelte';

type Lazy = Exclude<Screen, 'card'>;

const loaders: Record<Lazy, () => Promise<{ default: Component }>> = {
  pin: () => import('../screens/PinChange.svelte'),
  sign: () => import('../screens/Sign.svelte'),
  verify: () => import('../screens/Verify.svelte'),
  history: () => import('../screens/History.svelte'),
  consent: () => import('../screens/Consent.svelte'),
  application: () => import('../screens/Application.svelte'),
  counter: () => import('../screens/Counter.svelte'),
  settings: () => import('../screens/Settings.svelte'),
};

// The screens loaded so far: App draws one as soon as it is here.
export const loaded: Partial<Record<Lazy, Component>> = $state({});

const asked = new Map<Lazy, Promise<Component>>();

// loadScreen fetches a screen's chunk once; a failed fetch may be tried again.
export function loadScreen(s: Lazy): Promise<Component> {
  let p = asked.get(s);
  if (!p) {
    p = loaders[s]().then(
      (m) => (loaded[s] = m.default),
      (e) => {
        asked.delete(s);
        throw e;
      },
    );
    asked.set(s, p);
  }
  return p;
}

// loadScreens fetches every screen (after the first page, and in tests).
export async function loadScreens(): Promise<void> {
  await Promise.all((Object.keys(loaders) as Lazy[]).map(loadScreen));
}
