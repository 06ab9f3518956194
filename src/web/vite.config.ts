/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The browser app. Built into dist/web, which the Fastify server serves under a strict CSP
 * (no inline scripts or styles), so the build must not inject either: Vite emits external
 * module scripts and stylesheets only, and there is no code splitting (the crisis panel must
 * render from the bundle already loaded, even offline).
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // Keep every asset as a file: data: URIs for fonts/scripts would be blocked by the CSP anyway.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One bundle on purpose (see above); React + Designsystemet + i18next is ~180 kB gzipped.
    chunkSizeWarningLimit: 800,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
