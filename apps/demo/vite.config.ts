import { defaultClientConditions, defineConfig } from 'vite';
import { idxData } from './plugins/idx-data.js';

export default defineConfig({
  resolve: { conditions: ['@gankit/source', ...defaultClientConditions] },
  build: { target: 'es2022' },
  plugins: [idxData()],
});
