/**
 * web-ifc in Node: one IfcAPI per process, its WebAssembly read from the installed package (no
 * network, no CDN), its console logging off (readIfc.ts reports what is wrong itself).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { IfcAPI, LogLevel } from 'web-ifc';

let ready: Promise<IfcAPI> | undefined;

export function ifcApi(): Promise<IfcAPI> {
  ready ??= (async () => {
    const api = new IfcAPI();
    const require = createRequire(import.meta.url);
    // The directory holding web-ifc-node.wasm, with the trailing separator web-ifc expects.
    api.SetWasmPath(path.dirname(require.resolve('web-ifc')) + path.sep, true);
    await api.Init();
    api.SetLogLevel(LogLevel.LOG_LEVEL_OFF);
    return api;
  })();
  return ready;
}
