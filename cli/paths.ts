import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root, wherever citytwin is installed or run from. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const DEFAULT_DEMO_DIR = path.join(PACKAGE_ROOT, 'data', 'demo');
/** The server's state (database, saved scenarios) when no --data / DATA_DIR is given. */
export const DEFAULT_STATE_DIR = path.join(PACKAGE_ROOT, 'data', 'state');
export const CLIENT_DIST_DIR = path.join(PACKAGE_ROOT, 'dist', 'client');
/** Cesium's prebuilt ESM build with its workers and assets, wherever npm put the package. */
export const CESIUM_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('cesium/package.json')),
  'Build',
  'Cesium',
);
