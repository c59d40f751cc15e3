import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [vue()],
  resolve: {
    alias: [
      // The response contracts are the server's (api/src/features/<f>/contract.ts); the web imports their types.
      { find: /^@contract\/common$/, replacement: fileURLToPath(new URL('../api/src/contract/common.ts', import.meta.url)) },
      { find: /^@contract\/(.+)$/, replacement: fileURLToPath(new URL('../api/src/features/$1/contract.ts', import.meta.url)) },
      { find: '@', replacement: fileURLToPath(new URL('./src', import.meta.url)) },
    ],
  },
  // manifest: bench/web-size.ts reads the chunk graph to measure what the first page loads.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500, manifest: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
