import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { askEarly } from './lib/state.svelte';

// The first call goes out before the first render, which it then overlaps.
askEarly();

mount(App, { target: document.getElementById('app')! });
