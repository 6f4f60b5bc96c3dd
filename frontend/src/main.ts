import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { askEarly } from './lib/state.svelte';

// Marks for e2e/figures.mjs (the first page's phases): the script runs, the UI is mounted.
performance.mark('shomei:run');

// The first call's answer is in the page (shomei serve: its shell part is
// drawn by the first render), or the call goes out before the first render,
// which it then overlaps.
askEarly();

// The script may run before the page is all there (shomei serve makes it
// async): the app's element comes before the script is even fetched, but
// it is waited for if not.
const target = document.getElementById('app');
const start = (target: HTMLElement) => {
  mount(App, { target });
  performance.mark('shomei:mounted');
};
if (target) start(target);
else document.addEventListener('DOMContentLoaded', () => start(document.getElementById('app')!), { once: true });
