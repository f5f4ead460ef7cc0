/**
 * A building id as its L5 interior's file name (`interiors/{buildingId}.glb`, the `{buildingId}`
 * part) and back. Real ids are not file names: OSM exports give `way/360099726`, other sources
 * spaces, colons or CJK. The name keeps ASCII letters, digits, `_`, `-` and `.` (not as the first
 * character, so never `.`, `..` or a hidden file) and writes every other UTF-8 byte as `~XX`
 * (upper-case hex): `way/360099726` → `way~2F360099726`. `~` is unreserved in URLs, so the name
 * is also its own URL path segment; ids already made of those characters keep their name.
 *
 * Each id has exactly one name: the reverse refuses names that are not the canonical encoding
 * (`~41` for `A`, lower-case hex, a bare `/`), so two URLs never reach one building.
 * File systems that ignore letter case would fold `B1` and `b1` together; ids differing only in
 * case are not distinguished there.
 */

/** Longest name written as a file (most file systems stop at 255 bytes, `.glb` included). */
export const MAX_INTERIOR_FILE_NAME = 240;

const KEPT = /[A-Za-z0-9_.-]/;
const NAME = /^(?:[A-Za-z0-9_.-]|~[0-9A-F]{2})+$/;
const HEX = '0123456789ABCDEF';

export function interiorFileName(buildingId: string): string {
  if (buildingId === '') throw new RangeError('a building id must not be empty');
  let name = '';
  for (const ch of buildingId) {
    if (KEPT.test(ch) && !(name === '' && ch === '.')) {
      name += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch)) name += `~${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return name;
}

/** The building id a name stands for; undefined when it is no interior file name. */
export function buildingIdOfInteriorFile(name: string): string | undefined {
  if (!NAME.test(name)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '~') {
      bytes.push(parseInt(name.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(name.charCodeAt(i));
  }
  let id: string;
  try {
    id = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
  return interiorFileName(id) === name ? id : undefined;
}
