import type { Scene } from 'cesium';

const WINDOW = 60;

/**
 * Frame rate and frame time over the last frames Cesium rendered. With request-render mode the
 * scene only renders when something changes, so an idle scene reports the rate it last had.
 */
export class FrameStats {
  private readonly intervals = new Float64Array(WINDOW);
  private count = 0;
  private next = 0;
  private last = 0;
  private readonly remove: () => void;

  constructor(scene: Scene) {
    this.remove = scene.postRender.addEventListener(() => this.tick(performance.now()));
  }

  private tick(now: number): void {
    if (this.last > 0) {
      this.intervals[this.next] = now - this.last;
      this.next = (this.next + 1) % WINDOW;
      this.count = Math.min(this.count + 1, WINDOW);
    }
    this.last = now;
  }

  get frameTimeMs(): number {
    if (this.count === 0) return 0;
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.intervals[i]!;
    return sum / this.count;
  }

  get fps(): number {
    const ms = this.frameTimeMs;
    return ms > 0 ? 1000 / ms : 0;
  }

  destroy(): void {
    this.remove();
  }
}
