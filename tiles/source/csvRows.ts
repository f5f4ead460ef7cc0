/**
 * The rows of a CSV file read with loaders.gl's CSVLoader (RFC 4180; header row required), every
 * value kept as text so 16-digit codes keep all their digits. Used by the CSV importers
 * (tiles/import/csvPoints.ts) and the resources layer (resourceLayer.ts).
 */
import { parse } from '@loaders.gl/core';
import { CSVLoader } from '@loaders.gl/csv';
import { readBoundedBytes } from './boundedFile';

export async function readCsvRows(fullPath: string, file: string): Promise<Array<Record<string, unknown>>> {
  const bytes = await readBoundedBytes(fullPath, file);
  try {
    return ((await parse(bytes, CSVLoader, { worker: false, csv: { shape: 'object-row-table', header: true, dynamicTyping: false } })) as { data: Array<Record<string, unknown>> }).data;
  } catch (err) {
    throw new Error(`${file}: not a readable CSV file (${(err as Error).message})`);
  }
}
