import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built with `vite build web` (root is this folder). The server's CSP allows only same-origin
// scripts and styles: no inlined assets, no module preload polyfill (an inline script).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
