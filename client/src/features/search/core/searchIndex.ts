/**
 * Search over what a user can name: component codes, building ids and names, pole ids and codes.
 * Exact matches rank first, then prefixes, then substrings; case and width of Latin letters are
 * ignored, Chinese names match as typed.
 */
export type SearchKind = 'component' | 'building' | 'pole';

export interface SearchEntry {
  kind: SearchKind;
  /** What the selection and fly-to use: component code, building id, pole id. */
  id: string;
  /** Shown in the result list. */
  label: string;
  /** Other strings that find this entry (code, name, English name). */
  aliases: string[];
}

export interface SearchHit {
  entry: SearchEntry;
  rank: 0 | 1 | 2;
}

interface IndexedEntry {
  entry: SearchEntry;
  keys: string[];
}

const normalise = (text: string): string => text.normalize('NFKC').toLowerCase().trim();

export class SearchIndex {
  private readonly entries: IndexedEntry[] = [];

  add(entries: Iterable<SearchEntry>): void {
    for (const entry of entries) {
      this.entries.push({ entry, keys: [entry.id, ...entry.aliases].filter(Boolean).map(normalise) });
    }
  }

  get size(): number {
    return this.entries.length;
  }

  search(query: string, limit = 20): SearchHit[] {
    const q = normalise(query);
    if (q.length === 0) return [];
    const hits: SearchHit[] = [];
    for (const { entry, keys } of this.entries) {
      let rank: 0 | 1 | 2 | 3 = 3;
      for (const key of keys) {
        if (key === q) rank = 0;
        else if (rank > 1 && key.startsWith(q)) rank = 1;
        else if (rank > 2 && key.includes(q)) rank = 2;
        if (rank === 0) break;
      }
      if (rank < 3) hits.push({ entry, rank: rank as 0 | 1 | 2 });
    }
    hits.sort((a, b) => a.rank - b.rank || a.entry.id.length - b.entry.id.length || a.entry.id.localeCompare(b.entry.id));
    return hits.slice(0, limit);
  }
}
