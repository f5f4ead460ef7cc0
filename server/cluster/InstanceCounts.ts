/**
 * The other instances' message totals, from the latest replica batch each sent, so every
 * instance's counters show the whole cluster's accepted and rejected messages.
 */
export interface MessageCounts {
  accepted: number;
  rejected: number;
}

export class InstanceCounts {
  private readonly counts = new Map<string, MessageCounts>();

  /** Keeps `origin`'s latest totals (each batch carries them whole). */
  record(origin: string, counts: MessageCounts): void {
    this.counts.set(origin, { accepted: counts.accepted, rejected: counts.rejected });
  }

  /** Forgets a departed instance's counters (its messages stay counted nowhere else). */
  forget(origin: string): void {
    this.counts.delete(origin);
  }

  /** The sum over the other instances. */
  total(): MessageCounts {
    let accepted = 0;
    let rejected = 0;
    for (const c of this.counts.values()) {
      accepted += c.accepted;
      rejected += c.rejected;
    }
    return { accepted, rejected };
  }
}
