/** Building ids as interior file names (domain/interiorFile.ts): safe, one name per id, and back. */
import { describe, expect, it } from 'vitest';
import { buildingIdOfInteriorFile, interiorFileName } from '../../domain/interiorFile';

describe('interior file names', () => {
  it('keeps plain ids, writes every other byte as ~XX, and reads each back', () => {
    const cases: Array<[string, string]> = [
      ['B000', 'B000'],
      ['way/360099726', 'way~2F360099726'],
      ['relation/8877665', 'relation~2F8877665'],
      ['NL.IMBAG.Pand.0503100000032914-0', 'NL.IMBAG.Pand.0503100000032914-0'],
      ['..', '~2E.'],
      ['.hidden', '~2Ehidden'],
      ['a b:c\\d', 'a~20b~3Ac~5Cd'],
      ['华~1', '~E5~8D~8E~7E1'],
    ];
    for (const [id, name] of cases) {
      expect(interiorFileName(id), id).toBe(name);
      expect(buildingIdOfInteriorFile(name), name).toBe(id);
      expect(name).toMatch(/^[A-Za-z0-9_~-][A-Za-z0-9_.~-]*$/);
    }
  });

  it('refuses names that are not the one canonical encoding of an id', () => {
    for (const name of ['', 'way/1', 'way~2f1', '~41', '.', '..', '.x', 'a~', 'a~2', '~FF', 'a b', 'a%2Fb']) {
      expect(buildingIdOfInteriorFile(name), name).toBeUndefined();
    }
    expect(() => interiorFileName('')).toThrow(/empty/);
  });
});
