/** The message of the FeatureRejection `fn` throws; fails the test when it throws nothing. */
import { FeatureRejection } from '../../tiles/source/geometryChecks';

export function rejectionReason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FeatureRejection) return err.message;
    throw err;
  }
  throw new Error('expected a rejection');
}
