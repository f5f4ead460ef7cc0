import { loadFixture } from './test/simulations/drainage/swmmComparison';
import { routePipes } from './simulations/drainage/routePipes';
const [name, ...ids] = process.argv.slice(2);
const { model, swmm } = loadFixture(name);
const run = routePipes(model.network, model.inflows, { durationS: model.options.durationS, reportStepS: model.options.reportStepS, inertialTerms: 'dampen', surcharge: (process.env.SUR ?? 'extran') as 'extran' | 'slot' });
const s = run.series;
for (let r = 0; r < swmm.timesS.length; r += Number(process.env.EVERY ?? 10)) {
  const t = swmm.timesS[r];
  const row = s.timesS.findIndex((x) => Math.round(x) === Math.round(t));
  const cells = ids.map((id) => {
    if (id.startsWith('L')) { const k = id.slice(1); return `${swmm.links[k].flowM3s[r].toFixed(3)}/${s.linkFlowM3s[row][s.linkIds.indexOf(k)].toFixed(3)}`; }
    return `${swmm.nodes[id].depthM[r].toFixed(3)}/${s.nodeDepthM[row][s.nodeIds.indexOf(id)].toFixed(3)}`;
  });
  console.log(t, cells.join('  '));
}
