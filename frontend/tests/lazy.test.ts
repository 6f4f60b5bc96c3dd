// The screens after the first are chunks of their own (lib/screens.svelte.ts):
// the card screen draws without them, a screen is drawn once its chunk is
// here, and every screen is fetched once the first page is drawn. This file
// imports no screen itself, so nothing is loaded before App asks.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import App from '../src/App.svelte';
import { loaded } from '../src/lib/screens.svelte';
import { appMock } from './mock';

describe('App with screens fetched when needed', () => {
  it('draws the card screen at once, another screen once fetched, and fetches the rest after the first page', async () => {
    appMock();
    render(App);
    expect(Object.keys(loaded)).toEqual([]);
    expect((await screen.findByTestId('tries-sign')).textContent).toBe('残り 5 / 5 回');
    await fireEvent.click(screen.getByRole('button', { name: '署名する' }));
    expect(await screen.findByTestId('sign-dest', {}, { timeout: 20000 })).toBeTruthy();
    expect(screen.queryByTestId('tries-sign')).toBeNull();
    await vi.waitFor(() => expect(Object.keys(loaded).sort()).toEqual(['application', 'consent', 'counter', 'history', 'pin', 'settings', 'sign', 'verify']), { timeout: 20000 });
    await fireEvent.click(screen.getByRole('button', { name: '設定' }));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('設定'); // already here: drawn at once
  });
});
