/**
 * Short, stable reasons for refused device messages, so `/api/health` can count them by cause
 * (an operator wants "37 out-of-range" rather than 37 different validator sentences).
 * The payload's own reasons come from validatePayload; the ingest adds the topic-level ones.
 */
import { PAYLOAD_REJECT_REASONS } from '../../../domain/payloads';

export const REJECT_REASONS = ['bad-topic', 'unknown-terminal', ...PAYLOAD_REJECT_REASONS] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
