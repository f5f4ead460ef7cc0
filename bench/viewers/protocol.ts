import type { FailedMessage } from '../support/childProcess';

/** Messages between the viewers benchmark and its forked socket fleet (viewerFleet.ts). */
export type ToViewers = { type: 'open'; wsUrl: string; sockets: number; addresses: number } | { type: 'stop' };

export type FromViewers =
  /** Every socket is open and has its snapshot. */
  | { type: 'opened'; sockets: number; openMs: number; snapshotBytes: number }
  | FailedMessage;
