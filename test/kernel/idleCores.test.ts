import { describe, expect, it } from 'vitest';
import { idleCores } from '../../kernel/idleCores';

describe('idleCores', () => {
  it('gives the cores the load leaves free, at least one and at most all', () => {
    expect(idleCores(2, 0.1)).toBe(2);
    expect(idleCores(2, 0.9)).toBe(1);
    expect(idleCores(2, 0.4)).toBe(2);
    expect(idleCores(16, 3.2)).toBe(13);
    expect(idleCores(2, 25)).toBe(1);
    expect(idleCores(4, 0)).toBe(4);
  });
});
