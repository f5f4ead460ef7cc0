/**
 * The parent's handle on the forked device fleet (fleet.ts): `ask`, `next` and `stop` come from
 * ChildHandle, which rejects every wait with the reason if the fleet fails or exits.
 */
import { ChildHandle } from '../support/childProcess';
import type { FromFleet, ToFleet } from './protocol';

export class FleetProcess extends ChildHandle<FromFleet, ToFleet> {
  constructor() {
    // 10 s of grace on stop: the fleet closes one MQTT connection per device, up to tens of thousands.
    super(new URL('./fleet.ts', import.meta.url), { name: 'fleet', stop: { type: 'stop' }, stopGraceMs: 10_000 });
  }
}
