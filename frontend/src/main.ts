import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { askEarly } from './lib/state.svelte';

// The first call's answer is in the page (shomei serve: its shell part is
// drawn by the first render), or the call goes out before the first render,
// which it then overlaps.
askEarly();

// The script may run before the page is all there (shomei serve makes it
// async): the app's element comes before the script is even fetched, but
// it is waited for if not.
const target = document.getElementById('app');
if (target) mount(App, { target });
else document.addEventListener('DOMContentLoaded', () => mount(App, { target: document.getElementById('app')! }), { once: true });
