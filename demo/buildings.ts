/**
 * Buildings for every block, by zone: the dispatcher over the zone generators, plus the
 * post-pass that names the CBD's tallest towers.
 */
import type { PlanFrame } from './frame';
import type { Vec2 } from './geometry';
import type { Block, Layout } from './plan';
import { TOWER_STEMS } from './names';
import { Placement, type BuildingDraft } from './placement';
import type { LanduseArea } from './areas';
import type { Rng } from '../kernel/random';
import type { RoadIndex } from './roads';
import type { Site } from './site';
import { BlockWork } from './blockWork';
import { hillsideVillas, residentialCompound, urbanVillage } from './zonesHousing';
import { cbdBlock, civicBlock, commercialBlock, parkBlock, waterfrontBlock, type Station } from './zonesUrban';
import { hospitalCampus, industrialBlock, schoolCampus } from './zonesCampus';

/** CBD towers at least this tall get a name. */
const NAMED_TOWER_M = 150;

const MIDDLE_SCHOOLS = ['滨海湾实验中学', '滨海湾第二中学', '交椅湾中学'];
const PRIMARY_SCHOOLS = ['滨海湾第一小学', '交椅湾小学', '沙角小学', '滨海湾第二小学', '威远小学'];
const PARK_NAMES = ['榕树公园', '木棉公园', '紫荆公园', '凤凰公园'];

export interface BuildingsResult {
  buildings: BuildingDraft[];
  areas: LanduseArea[];
}

export function buildBuildings(layout: Layout, site: Site, frame: PlanFrame, roads: RoadIndex, rng: Rng): BuildingsResult {
  const placement = new Placement(site, frame, roads);
  const centreOf = (b: Block): Vec2 => {
    const p = (b.pl + b.pr) / 2;
    return frame.toWorld(p, (b.low.q(p) + b.high.q(p)) / 2);
  };
  const cbdBlocks = layout.blocks.filter((b) => b.zone === 'cbd');
  const cbdCentre: Vec2 = cbdBlocks.length
    ? [cbdBlocks.reduce((s, b) => s + centreOf(b)[0], 0) / cbdBlocks.length, cbdBlocks.reduce((s, b) => s + centreOf(b)[1], 0) / cbdBlocks.length]
    : [0, 0];

  let hotels = 0;
  let conventionPlaced = false;
  let middleSchools = 0;
  let primarySchools = 0;
  let parks = 0;
  const stations: Station[] = ['police', 'fire'];
  const nextStation = (): Station | undefined => stations.shift();
  const cbdBuilt = new Set<BuildingDraft>();

  for (const block of layout.blocks) {
    const w = new BlockWork(placement, block, frame, rng);
    const before = placement.buildings.length;
    switch (block.use) {
      case 'plaza':
        cbdBlock(w, cbdCentre);
        continue;
      case 'civic-centre':
      case 'culture':
        civicBlock(w, nextStation);
        continue;
      case 'hospital':
        hospitalCampus(w);
        continue;
      case 'middle-school':
        schoolCampus(w, MIDDLE_SCHOOLS[middleSchools++ % MIDDLE_SCHOOLS.length]!, true);
        continue;
      case 'primary-school':
        schoolCampus(w, PRIMARY_SCHOOLS[primarySchools++ % PRIMARY_SCHOOLS.length]!, false);
        continue;
      case 'park':
        parkBlock(w, PARK_NAMES[parks++ % PARK_NAMES.length]!);
        continue;
      case 'default':
        break;
    }
    switch (block.zone) {
      case 'cbd':
        cbdBlock(w, cbdCentre);
        for (const b of placement.buildings.slice(before)) cbdBuilt.add(b);
        break;
      case 'waterfront':
        if (waterfrontBlock(w, () => `${TOWER_STEMS[hotels++ % TOWER_STEMS.length]}酒店`, !conventionPlaced)) conventionPlaced = true;
        break;
      case 'coastal-park':
        parkBlock(w, '滨海公园');
        break;
      case 'commercial':
        commercialBlock(w);
        break;
      case 'civic':
        civicBlock(w, nextStation);
        break;
      case 'residential':
      case 'riverside':
        residentialCompound(w);
        break;
      case 'village':
        // Most villages keep their lineage hall; newer settlements have none.
        urbanVillage(w, block.id.endsWith('-0-0') && rng.chance(0.6));
        break;
      case 'industrial':
        industrialBlock(w, '滨海湾智造产业园');
        break;
      case 'hillside':
        hillsideVillas(w);
        break;
    }
  }

  // Name the CBD's tall towers, tallest first: the tallest is the district's landmark.
  const towers = placement.buildings
    .filter((b) => cbdBuilt.has(b) && b.use === 'office' && b.height >= NAMED_TOWER_M)
    .sort((a, b) => b.height - a.height);
  towers.forEach((tower, k) => {
    tower.name = k === 0 ? '滨海湾国际金融中心' : `${TOWER_STEMS[(k - 1) % TOWER_STEMS.length]}${k % 2 ? '大厦' : '中心'}`;
  });
  return { buildings: placement.buildings, areas: placement.areas };
}
