import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

/**
 * govuk-frontend's compiled CSS still carries old-IE media hacks (`@media screen\\0`, `(min-width:0\\0)`) that
 * LightningCSS refuses. Modern browsers never match them, so an equivalent `@media not all` keeps the meaning.
 */
function govukIeHacks(): Plugin {
  return {
    name: 'govuk-ie-media-hacks',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('govuk-frontend') || !id.split('?')[0]!.endsWith('.css')) return null;
      return { code: code.replace(/@media[^{]*\\0[^{]*\{/g, '@media not all{'), map: null };
    },
  };
}

const clientDir = fileURLToPath(new URL('.', import.meta.url));
// govuk-frontend's compiled CSS points at /assets/fonts and /assets/images: resolve those to the package so Vite
// fingerprints and emits them, instead of leaving URLs that 404.
const govukAssets = fileURLToPath(new URL('../node_modules/govuk-frontend/dist/govuk/assets/', import.meta.url));
const server = 'http://127.0.0.1:3000';

export default defineConfig({
  root: clientDir,
  base: '/',
  plugins: [govukIeHacks(), vue()],
  resolve: {
    alias: [
      { find: /^\/assets\/(fonts|images)\//, replacement: `${govukAssets}$1/` },
      // The server's contract (schemas' types, the socket event map, the vocabulary): the one server folder the client
      // uses.
      { find: /^@contract\//, replacement: fileURLToPath(new URL('../server/src/contract/', import.meta.url)) },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Inlined assets would become data: URLs; keep fonts and images as files (img-src allows data: anyway).
    assetsInlineLimit: 0,
    // One page, mostly ECharts: the budget that matters is <= 400 KB gzipped JS, checked in the build report.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': { target: server },
      '/socket.io': { target: server, ws: true },
    },
  },
});
