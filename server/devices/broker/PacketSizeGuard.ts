/**
 * Refuses oversized MQTT packets before the broker buffers them. MQTT allows a packet of up to
 * 256 MB, and aedes accumulates a packet whole before parsing it, so one client could make the
 * server hold that much; this guard reads only the fixed headers of the byte stream (MQTT 3.1.1
 * §2.2: one type byte, then the remaining length as a base-128 varint of 1–4 bytes) and says
 * "stop" as soon as a header announces more than the limit.
 *
 * Pure: fed the socket's chunks in order, it keeps its place across chunk boundaries.
 */

export class PacketSizeGuard {
  /** Bytes of the current packet's body still to skip. */
  private skip = 0;
  /** Where we are in a fixed header: 0 = expecting the type byte, 1–4 = varint byte n. */
  private headerByte = 0;
  private length = 0;
  private multiplier = 1;

  constructor(readonly maxPacketBytes: number) {}

  /** Feeds the next chunk; returns false once a packet is too large (or its length malformed). */
  feed(chunk: Uint8Array): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.headerByte === 0) {
        this.headerByte = 1;
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      if (this.length > this.maxPacketBytes) return false;
      if (byte & 0x80) {
        // A fifth length byte is malformed (§2.2.3).
        if (++this.headerByte > 4) return false;
        continue;
      }
      this.headerByte = 0;
      this.skip = this.length;
    }
    return true;
  }
}
