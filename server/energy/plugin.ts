/**
 * Street-lamp energy as `app.energy` (EnergyService.ts; undefined when history is off — energy is
 * read from the history store): the twin's lamps with their road, grid cell, department (the
 * owner of the pole's component, else the department that answers for lamps) and rated power.
 */
import fp from 'fastify-plugin';
import { EnergyService, type EnergyLamp } from './EnergyService';

declare module 'fastify' {
  interface FastifyInstance {
    energy: EnergyService | undefined;
  }
}

export default fp(
  async (app) => {
    const history = app.history;
    if (!history) {
      app.decorate('energy', undefined);
      return;
    }
    const { twin } = app;
    const lampDepartment = twin.departments.find((d) => d.terminalTypes.includes('lamp'))?.id;
    const lamps: EnergyLamp[] = twin.terminals
      .filter((t) => t.type === 'lamp')
      .map((t) => {
        const pole = twin.poleById.get(t.poleId);
        const owner = pole ? twin.componentByCode.get(pole.code)?.ownerId : undefined;
        const departmentId = owner || lampDepartment;
        return {
          id: t.id,
          ...(pole?.roadId ? { roadId: pole.roadId } : {}),
          ...(pole?.gridCode ? { gridCode: pole.gridCode } : {}),
          ...(departmentId ? { departmentId } : {}),
          ...(t.ratedW !== undefined ? { ratedW: t.ratedW } : {}),
        };
      });
    app.decorate(
      'energy',
      new EnergyService({
        store: history.store,
        lamps,
        place: { lat: twin.manifest.center.lat, lon: twin.manifest.center.lon },
        minuteRetentionMs: history.retention['1mMs'],
      }),
    );
  },
  { name: 'citytwin-energy', fastify: '5.x', dependencies: ['citytwin-twin', 'citytwin-history'] },
);
