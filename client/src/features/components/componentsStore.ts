import { defineStore } from 'pinia';
import { markRaw, shallowRef } from 'vue';
import type { BuildingRecord, ComponentRecord } from '../../../../domain/twinPackage';
import { getJson } from '../../shared/http';
import { twinUrl } from '../../shared/twinApi';
import { buildComponentSet, type ComponentSet } from './core/componentSet';
import { SearchIndex, type SearchEntry } from '../search/core/searchIndex';
import { useTwinStore } from '../../twin/twinStore';

/**
 * Urban components (the twin's own plus any synthetic load asked for in the URL) and the search
 * index over components, buildings and poles. Built once, kept out of Vue's reactivity.
 */
export const useComponentsStore = defineStore('components', () => {
  const twin = useTwinStore();
  const set = shallowRef<ComponentSet | null>(null);
  const index = shallowRef<SearchIndex | null>(null);
  const codeToIndex = new Map<string, number>();
  let loading: Promise<ComponentSet> | undefined;

  function load(synthetic: number): Promise<ComponentSet> {
    const m = twin.manifest;
    if (!m) return Promise.reject(new Error('twin not loaded'));
    loading ??= getJson<ComponentRecord[]>(twinUrl(m.files.components)).then((records) => {
      const built = markRaw(buildComponentSet(records, synthetic, m.countyCode));
      records.forEach((r, i) => codeToIndex.set(r.code, i));
      set.value = built;
      return built;
    });
    return loading;
  }

  /** Index of a component by code (the twin's own components). */
  function indexOf(code: string): number {
    return codeToIndex.get(code) ?? -1;
  }

  async function searchIndex(): Promise<SearchIndex> {
    if (index.value) return index.value;
    const [buildings, components] = await Promise.all([twin.buildings(), set.value ? Promise.resolve(set.value) : load(0)]);
    const built = new SearchIndex();
    built.add(buildingEntries(buildings.values()));
    built.add(
      twin.poles.map((p): SearchEntry => ({ kind: 'pole', id: p.id, label: p.code === p.id ? p.id : `${p.id} · ${p.code}`, aliases: [p.code] })),
    );
    built.add(components.codes.map((code): SearchEntry => ({ kind: 'component', id: code, label: code, aliases: [] })));
    index.value = markRaw(built);
    return built;
  }

  return { set, load, indexOf, searchIndex };
});

function* buildingEntries(buildings: Iterable<BuildingRecord>): Iterable<SearchEntry> {
  for (const b of buildings) yield { kind: 'building', id: b.id, label: b.name ? `${b.name} (${b.id})` : b.id, aliases: b.name ? [b.name] : [] };
}
