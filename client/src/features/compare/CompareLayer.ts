/**
 * Two results on one screen: result A left of a splitter and B right of it (imagery layers with
 * Cesium's `splitDirection`, so there is one camera and the two sides can never drift apart), or
 * one layer of their difference over the whole view. The splitter is a bar over the canvas a
 * user drags; `scene.splitPosition` follows it.
 */
import { Rectangle, SplitDirection, type CesiumWidget } from 'cesium';
import { RasterOverlay, type LonLatBox } from '../../twin/RasterOverlay';

export interface Raster {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  box: LonLatBox;
}

export class CompareLayer {
  private overlays: RasterOverlay[] = [];
  private readonly bar: HTMLDivElement;
  private readonly labels: [HTMLSpanElement, HTMLSpanElement];
  private generation = 0;

  constructor(private readonly widget: CesiumWidget) {
    this.bar = document.createElement('div');
    this.bar.dataset.testid = 'compare-splitter';
    Object.assign(this.bar.style, { position: 'absolute', top: '0', bottom: '0', width: '6px', marginLeft: '-3px', background: '#ffd166', cursor: 'ew-resize', zIndex: '5', display: 'none', touchAction: 'none' });
    this.labels = ['A', 'B'].map((text) => {
      const span = document.createElement('span');
      span.textContent = text;
      Object.assign(span.style, { position: 'absolute', top: '8px', padding: '2px 8px', whiteSpace: 'nowrap', background: 'rgba(6,16,30,0.8)', color: '#ffd166', font: '600 13px sans-serif', borderRadius: '4px' });
      this.bar.appendChild(span);
      return span;
    }) as [HTMLSpanElement, HTMLSpanElement];
    this.labels[0].style.right = '10px';
    this.labels[1].style.left = '10px';
    widget.container.appendChild(this.bar);
    this.bar.addEventListener('pointerdown', (e) => {
      this.bar.setPointerCapture(e.pointerId);
      const move = (ev: PointerEvent): void => {
        const rect = this.widget.container.getBoundingClientRect();
        this.splitPosition = (ev.clientX - rect.left) / rect.width;
      };
      const up = (): void => {
        this.bar.removeEventListener('pointermove', move);
        this.bar.removeEventListener('pointerup', up);
      };
      this.bar.addEventListener('pointermove', move);
      this.bar.addEventListener('pointerup', up);
    });
    this.splitPosition = 0.5;
  }

  get splitPosition(): number {
    return this.widget.scene.splitPosition;
  }

  set splitPosition(position: number) {
    const p = Math.min(0.98, Math.max(0.02, position));
    this.widget.scene.splitPosition = p;
    this.bar.style.left = `${p * 100}%`;
    this.widget.scene.requestRender();
  }

  /** A left of the splitter, B right of it (null: nothing drawn on that side, the twin as it is). */
  async showSwipe(a: Raster | null, b: Raster | null, labels: [string, string]): Promise<void> {
    const generation = ++this.generation;
    const made = await Promise.all([a, b].map((r) => (r ? this.overlay(r) : Promise.resolve(null))));
    if (generation !== this.generation) {
      for (const o of made) o?.destroy();
      return;
    }
    this.clearOverlays();
    made.forEach((o, k) => {
      if (o) o.split = k === 0 ? SplitDirection.LEFT : SplitDirection.RIGHT;
    });
    this.overlays = made.filter((o): o is RasterOverlay => o !== null);
    this.labels[0].textContent = `A · ${labels[0]}`;
    this.labels[1].textContent = `B · ${labels[1]}`;
    this.bar.style.display = 'block';
    this.widget.scene.requestRender();
  }

  /** One raster over the whole view (the difference). */
  async showSingle(r: Raster): Promise<void> {
    const generation = ++this.generation;
    const o = await this.overlay(r);
    if (generation !== this.generation) {
      o.destroy();
      return;
    }
    this.clearOverlays();
    this.overlays = [o];
    this.bar.style.display = 'none';
    this.widget.scene.requestRender();
  }

  /** Points the camera straight down at a box (a corridor), with a margin of a fifth of its size each side. */
  frame(box: LonLatBox): void {
    const dx = (box.east - box.west) * 0.2;
    const dy = (box.north - box.south) * 0.2;
    this.widget.camera.setView({ destination: Rectangle.fromDegrees(box.west - dx, box.south - dy, box.east + dx, box.north + dy) });
    this.widget.scene.requestRender();
  }

  private overlay(r: Raster): Promise<RasterOverlay> {
    return RasterOverlay.create(this.widget.imageryLayers, r.rgba, r.width, r.height, r.box);
  }

  private clearOverlays(): void {
    for (const o of this.overlays) o.destroy();
    this.overlays = [];
  }

  clear(): void {
    this.generation++;
    this.clearOverlays();
    this.bar.style.display = 'none';
    this.widget.scene.requestRender();
  }

  destroy(): void {
    this.clear();
    this.bar.remove();
  }
}
