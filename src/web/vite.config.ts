/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The browser app. Built into dist/web, which the Fastify server serves under a strict CSP
 * (no inline scripts or styles), so the build must not inject either: Vite emits external
 * module scripts and stylesheets only.
 *
 * Code splitting is per face (src/web/app/App.tsx): the entry holds React, the router, i18n,
 * the session and the login page; each face (patient, GP, research, admin) is one lazy chunk.
 * The crisis panel is imported only by the patient face, so it is in the same chunk as the
 * PHQ-9 form and renders offline once the form is on screen. The manifest (dist/web/.vite/
 * manifest.json, never served: the server refuses hidden paths) lets scripts/build-size.mjs
 * add up what a module page loads; it must stay under 200 kB gzipped.
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
    manifest: true,
    chunkSizeWarningLimit: 500,
    rolldownOptions: {
      treeshake: {
        // @digdir/designsystemet-react declares no `sideEffects`, so every component (Combobox
        // with its virtualiser, Dialog, Tabs, …) would be kept whether used or not. Its modules
        // are plain component definitions: let unused ones go. Its import of the web components
        // (@digdir/designsystemet-web), which do register themselves, is kept as it is.
        moduleSideEffects: [
          { test: /[\\/]node_modules[\\/]@digdir[\\/]designsystemet-react[\\/]/, sideEffects: false },
        ],
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
