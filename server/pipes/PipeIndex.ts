/**
 * The twin package's underground lines (`layers/pipes.json`) and roads, read on first use and
 * kept: the data the planner checks (clearances.ts, underRoad.ts) run over. A package without
 * pipes answers with empty results; a malformed file is a TwinInvalid naming it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PIPE_NETWORKS, type PipeRecord } from '../../domain/pipes';
import type { TwinManifest } from '../../domain/twinPackage';
import { Errors } from '../errors';

export interface RoadLine {
  id: string;
  widthM: number;
  coordinates: Array<[number, number]>;
}

export class PipeIndex {
  private pipes: Promise<PipeRecord[]> | undefined;
  private roads: Promise<Map<string, RoadLine>> | undefined;

  constructor(
    private readonly dir: string,
    private readonly manifest: TwinManifest,
  ) {}

  get available(): boolean {
    return this.manifest.files.pipes !== undefined;
  }

  records(): Promise<PipeRecord[]> {
    return (this.pipes ??= this.readPipes());
  }

  async road(id: string): Promise<RoadLine | undefined> {
    return (await (this.roads ??= this.readRoads())).get(id);
  }

  private async readPipes(): Promise<PipeRecord[]> {
    const file = this.manifest.files.pipes;
    if (file === undefined) return [];
    const rows = await this.readJson(file);
    if (!Array.isArray(rows)) throw new Errors.TwinInvalid(`${join(this.dir, file)}: expected a JSON array of pipes`);
    return rows.map((row: unknown, i) => {
      const r = row as Partial<PipeRecord> | null;
      const ok =
        r !== null && typeof r === 'object' && typeof r.id === 'string' && (PIPE_NETWORKS as readonly string[]).includes(r.network ?? '') && Array.isArray(r.axis) && r.axis.length >= 2 && typeof r.widthM === 'number' && typeof r.heightM === 'number';
      if (!ok) throw new Errors.TwinInvalid(`${join(this.dir, file)} [${i}]: not a pipe record (id, network, widthM, heightM, axis of ≥ 2 positions)`);
      return r as PipeRecord;
    });
  }

  private async readRoads(): Promise<Map<string, RoadLine>> {
    const doc = (await this.readJson(this.manifest.files.roads)) as { features?: Array<{ properties?: { id?: unknown; widthM?: unknown }; geometry?: { type?: string; coordinates?: unknown } }> };
    const out = new Map<string, RoadLine>();
    for (const f of doc.features ?? []) {
      const id = f.properties?.id;
      const widthM = f.properties?.widthM;
      if (typeof id === 'string' && typeof widthM === 'number' && f.geometry?.type === 'LineString' && Array.isArray(f.geometry.coordinates)) {
        out.set(id, { id, widthM, coordinates: f.geometry.coordinates as Array<[number, number]> });
      }
    }
    return out;
  }

  private async readJson(file: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(join(this.dir, file), 'utf8')) as unknown;
    } catch (err) {
      throw new Errors.TwinInvalid(`twin package ${this.dir}: cannot read ${file}: ${(err as Error).message}`);
    }
  }
}
