/**
 * Worker-thread entry for the basemap (started by ./inWorker.ts through kernel/worker/): renders
 * the pixels and encodes the PNG, and hands the bytes back; the parent writes the file.
 */
import { serveWorkerTask } from '../../../kernel/worker/workerTask';
import { renderBasemapPng, type BasemapInput } from './index';

serveWorkerTask<BasemapInput, [], Uint8Array>((input) => renderBasemapPng(input));
