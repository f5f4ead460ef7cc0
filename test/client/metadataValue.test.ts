/**
 * 3D Tiles metadata values for the attribute panel (client/src/features/selection/core/
 * metadataValue.ts), with Cesium's own value classes: every type shows, none as null. The
 * values are those of the CesiumGS 3d-tiles-samples in test/fixtures/real/3d-tiles-samples.
 */
import Cartesian2 from '@cesium/engine/Source/Core/Cartesian2.js';
import Cartesian3 from '@cesium/engine/Source/Core/Cartesian3.js';
import Cartesian4 from '@cesium/engine/Source/Core/Cartesian4.js';
import Matrix2 from '@cesium/engine/Source/Core/Matrix2.js';
import Matrix3 from '@cesium/engine/Source/Core/Matrix3.js';
import Matrix4 from '@cesium/engine/Source/Core/Matrix4.js';
import { describe, expect, it } from 'vitest';
import { displayValue } from '../../client/src/features/selection/core/metadataValue';

describe('metadata values', () => {
  it('keeps scalars, strings, booleans and enum names as they are', () => {
    expect(displayValue(12345)).toBe(12345);
    expect(displayValue(1.234567)).toBe(1.234567);
    expect(displayValue('Thunder ⛈')).toBe('Thunder ⛈');
    expect(displayValue(false)).toBe(false);
    expect(displayValue('ExampleEnumValueB')).toBe('ExampleEnumValueB');
    expect(displayValue(undefined)).toBeNull();
  });

  it('shows INT64 and UINT64 digit for digit: small bigints as numbers, large ones as text', () => {
    expect(displayValue(1234567n)).toBe(1234567);
    expect(displayValue(9223372036854775807n)).toBe('9223372036854775807');
    expect(displayValue(-9223372036854775808n)).toBe('-9223372036854775808');
    expect(displayValue(18446744073709551615n)).toBe('18446744073709551615');
  });

  it('shows VECn as (x, y, z) and MATn by rows, from Cesium classes', () => {
    // FLOAT32 0.1 arrives as 0.10000000149011612: shown to 7 significant digits.
    expect(displayValue(new Cartesian3(1, Math.fround(1.1), Math.fround(1.2)))).toBe('(1, 1.1, 1.2)');
    expect(displayValue(new Cartesian2(3, -4))).toBe('(3, -4)');
    expect(displayValue(new Cartesian4(1, 2, 3, 4))).toBe('(1, 2, 3, 4)');
    expect(displayValue(new Matrix2(1, 2, 3, 4))).toBe('[1 2; 3 4]');
    expect(displayValue(new Matrix3(1, 2, 3, 4, 5, 6, 7, 8, 9))).toBe('[1 2 3; 4 5 6; 7 8 9]');
    expect(displayValue(Matrix4.IDENTITY)).toBe('[1 0 0 0; 0 1 0 0; 0 0 1 0; 0 0 0 1]');
  });

  it('shows arrays of every kind in brackets', () => {
    expect(displayValue([0, 0.5019608, 1])).toBe('[0, 0.5019608, 1]');
    expect(displayValue([true, false, true])).toBe('[true, false, true]');
    expect(displayValue(['One', 'Two'])).toBe('[One, Two]');
    expect(displayValue(['ExampleEnumValueA', 'ExampleEnumValueB'])).toBe('[ExampleEnumValueA, ExampleEnumValueB]');
    expect(displayValue([new Cartesian3(0, 1, 2), new Cartesian3(3, 4, 5)])).toBe('[(0, 1, 2), (3, 4, 5)]');
    expect(displayValue([1n, 18446744073709551615n])).toBe('[1, 18446744073709551615]');
    expect(displayValue(new Float32Array([1.5, 2.5]))).toBe('[1.5, 2.5]');
  });
});
