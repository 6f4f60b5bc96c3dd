import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// The UI builds into dist/app, which the Go package in this folder embeds
// (dist/README.md and dist/placeholder stay in git).
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  base: './',
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // Whole-app renders take seconds when the machine's two cores are busy.
    testTimeout: 30000,
    // tests/contrast.test.ts reads the style sheet (as ?raw) for its colours.
    css: { include: [/app\.css/] },
  },
});
