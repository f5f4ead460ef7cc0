/**
 * The Khronos glTF validator (npm `gltf-validator`, shipped as compiled Dart without types),
 * typed for the tests, with the one question they ask: what is wrong with this glb?
 */
import { createRequire } from 'node:module';

export interface ValidationMessage {
  code: string;
  message: string;
  /** 0 error, 1 warning, 2 info, 3 hint. */
  severity: number;
  pointer?: string;
}

export interface ValidationReport {
  issues: { numErrors: number; numWarnings: number; messages: ValidationMessage[] };
}

const validator = createRequire(import.meta.url)('gltf-validator') as {
  validateBytes(data: Uint8Array, options?: { maxIssues?: number; writeTimestamp?: boolean; uri?: string }): Promise<ValidationReport>;
};

export function validateGlb(bytes: Uint8Array, uri = 'tile.glb'): Promise<ValidationReport> {
  return validator.validateBytes(bytes, { uri, maxIssues: 0, writeTimestamp: false });
}

/**
 * Errors, and warnings other than UNSUPPORTED_EXTENSION (the validator does not know the
 * 3D Tiles extensions EXT_mesh_features and EXT_structural_metadata).
 */
export async function glbProblems(bytes: Uint8Array, uri?: string): Promise<ValidationMessage[]> {
  const report = await validateGlb(bytes, uri);
  return report.issues.messages.filter((m) => m.severity === 0 || (m.severity === 1 && m.code !== 'UNSUPPORTED_EXTENSION'));
}
