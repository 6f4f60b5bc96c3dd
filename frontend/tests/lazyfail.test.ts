// A screen whose chunk cannot be fetched (the server gone) says so, in the
// person's language, and the navigation still works.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import App from '../src/App.svelte';
import { appMock } from './mock';

vi.mock('../src/screens/History.svelte', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

describe('App when a screen cannot be fetched', () => {
  it('says so on that screen and goes on to the others', async () => {
    appMock({ Anchors: () => [] });
    render(App);
    await screen.findByTestId('tries-sign');
    await fireEvent.click(screen.getByRole('button', { name: '履歴' }));
    expect((await screen.findByTestId('screen-failed', {}, { timeout: 20000 })).textContent).toMatch(/この画面を読み込めませんでした/);
    await fireEvent.click(screen.getByRole('button', { name: '設定' }));
    expect((await screen.findByRole('heading', { level: 2 }, { timeout: 20000 })).textContent).toBe('設定');
    expect(screen.queryByTestId('screen-failed')).toBeNull();
  });
});
