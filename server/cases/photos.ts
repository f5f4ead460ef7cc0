/**
 * Site photos sent as base64 JPEG or PNG: checked (encoding, size, magic bytes) and stored in the
 * case database before the case change that names them is committed, so an acknowledged report
 * never points at a lost photo, and every instance sharing the database serves it.
 */
import { randomBytes } from 'node:crypto';
import { MAX_PHOTO_BYTES } from '../../domain/cases/api';
import type { Storage } from '../storage/Storage';
import { CaseRuleError } from './CaseRuleError';

export type PhotoType = 'image/jpeg' | 'image/png';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
const ID_PATTERN = /^[0-9a-f]{24}\.(jpg|png)$/;
/** Base64 of MAX_PHOTO_BYTES, plus a data-URL prefix. */
export const MAX_PHOTO_BASE64 = Math.ceil(MAX_PHOTO_BYTES / 3) * 4 + 64;

/** Decodes and checks a base64 photo (a `data:image/…;base64,` prefix is allowed). */
export function decodePhoto(base64: string, field = 'photo'): { bytes: Buffer; type: PhotoType } {
  const body = base64.replace(/^data:image\/(jpeg|png);base64,/, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) throw new CaseRuleError('invalid', `${field} must be base64`, [field]);
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length > MAX_PHOTO_BYTES) throw new CaseRuleError('too-large', `${field} is ${bytes.length} bytes; at most ${MAX_PHOTO_BYTES} are accepted`, [field]);
  if (bytes.subarray(0, 8).equals(PNG_MAGIC)) return { bytes, type: 'image/png' };
  if (bytes.subarray(0, 3).equals(JPEG_MAGIC)) return { bytes, type: 'image/jpeg' };
  throw new CaseRuleError('invalid', `${field} must be a JPEG or PNG image`, [field]);
}

export class PhotoStore {
  constructor(private readonly storage: Storage) {}

  /** Stores a checked photo durably and returns its id. */
  async save(base64: string, field?: string): Promise<string> {
    const { bytes, type } = decodePhoto(base64, field);
    const id = `${randomBytes(12).toString('hex')}.${type === 'image/png' ? 'png' : 'jpg'}`;
    await this.storage.insertPhoto({ id, type, bytes });
    return id;
  }

  async read(id: string): Promise<{ bytes: Buffer; type: PhotoType } | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    const photo = await this.storage.getPhoto(id);
    return photo && { bytes: Buffer.from(photo.bytes), type: photo.type };
  }
}
