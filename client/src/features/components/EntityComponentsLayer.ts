/**
 * The baseline the benchmark compares against: the same components as Cesium Entities with point
 * graphics, the way an application written against the Entity API would show them, at its best:
 * events suspended during the bulk load and the data source's EntityCluster on (Cesium's own
 * screen-space clustering, default pixel range and minimum size), as a user with many points would.
 */
import { Cartesian3, Color, CustomDataSource, type CesiumWidget } from 'cesium';
import type { ComponentSet } from './core/componentSet';

export class EntityComponentsLayer {
  private readonly source = new CustomDataSource('components-entities');

  private constructor(private readonly widget: CesiumWidget) {}

  static async load(widget: CesiumWidget, set: ComponentSet): Promise<EntityComponentsLayer> {
    const layer = new EntityComponentsLayer(widget);
    layer.source.clustering.enabled = true;
    await widget.dataSources.add(layer.source);
    const color = Color.fromCssColorString('#4cc3ff');
    // Suspending events while adding is what the Entity API documents for bulk loads.
    layer.source.entities.suspendEvents();
    for (let i = 0; i < set.count; i++) {
      layer.source.entities.add({
        position: Cartesian3.fromDegrees(set.lon[i]!, set.lat[i]!, set.height[i]! + 0.6),
        point: { pixelSize: 5, color },
      });
    }
    layer.source.entities.resumeEvents();
    return layer;
  }

  get count(): number {
    return this.source.entities.values.length;
  }

  destroy(): void {
    this.widget.dataSources.remove(this.source, true);
  }
}
