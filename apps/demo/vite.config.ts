import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  resolve: { conditions: ['@gankit/source', ...defaultClientConditions] },
  build: { target: 'es2022' },
});
