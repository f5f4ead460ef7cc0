import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

/**
 * CesiumJS is not bundled: the server hosts its prebuilt ESM build at /cesium/ (with its workers
 * and assets, which need a base URL anyway) and index.html maps the bare import `cesium` there
 * with an import map. That keeps `vite build` to seconds and the bundle small.
 */
function cesiumExternal(): Plugin {
  return {
    name: 'citytwin:cesium-external',
    enforce: 'pre',
    resolveId(id) {
      return id === 'cesium' ? { id: '/cesium/index.js', external: true } : null;
    },
  };
}

// The dev server proxies everything but the app itself to a running `citytwin serve`.
const backend = process.env.CITYTWIN_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'client',
  publicDir: '../public',
  plugins: [cesiumExternal(), vue()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  optimizeDeps: { exclude: ['cesium'] },
  server: {
    proxy: {
      '/api': backend,
      '/twin': backend,
      '/cesium': backend,
      '/ws': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
});
