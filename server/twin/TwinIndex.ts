/**
 * The loaded twin package held in memory, with the look-ups the server needs (terminal → pole,
 * pole → terminals, code → component). Pure: built from already-parsed records, so tests and
 * other tools can make one without touching the file system.
 */
import type {
  BuildingRecord,
  ComponentRecord,
  DepartmentRecord,
  PoleRecord,
  TerminalRecord,
  TwinManifest,
} from '../../domain/twinPackage';
import { TERMINAL_TYPES, type TerminalType } from '../../domain/terminals';
import { UNIT_KINDS, type ResourceRecord } from '../../domain/emergency';

export interface TwinLayers {
  poles: PoleRecord[];
  terminals: TerminalRecord[];
  components: ComponentRecord[];
  buildings: BuildingRecord[];
  departments: DepartmentRecord[];
  /** Emergency resources; absent in packages built before them. */
  resources?: ResourceRecord[];
}

export class TwinIndex {
  readonly poleById = new Map<string, PoleRecord>();
  readonly terminalById = new Map<string, TerminalRecord>();
  readonly componentByCode = new Map<string, ComponentRecord>();
  readonly departmentById = new Map<string, DepartmentRecord>();
  /** Terminals per pole, from each terminal's `poleId` (the authoritative side of the link). */
  readonly terminalsByPole = new Map<string, TerminalRecord[]>();
  readonly terminalCountByType: Record<TerminalType, number>;
  readonly resourceById = new Map<string, ResourceRecord>();

  /** Throws a RangeError naming the record when the layers do not fit together. */
  constructor(
    readonly dir: string,
    readonly manifest: TwinManifest,
    readonly layers: TwinLayers,
  ) {
    for (const pole of layers.poles) {
      if (this.poleById.has(pole.id)) throw new RangeError(`poles: duplicate id "${pole.id}"`);
      this.poleById.set(pole.id, pole);
      this.terminalsByPole.set(pole.id, []);
    }
    this.terminalCountByType = Object.fromEntries(TERMINAL_TYPES.map((t) => [t, 0])) as Record<TerminalType, number>;
    for (const terminal of layers.terminals) {
      if (this.terminalById.has(terminal.id)) throw new RangeError(`terminals: duplicate id "${terminal.id}"`);
      const onPole = this.terminalsByPole.get(terminal.poleId);
      if (!onPole) throw new RangeError(`terminals: "${terminal.id}" is on unknown pole "${terminal.poleId}"`);
      this.terminalById.set(terminal.id, terminal);
      onPole.push(terminal);
      this.terminalCountByType[terminal.type] += 1;
    }
    for (const component of layers.components) {
      if (this.componentByCode.has(component.code)) {
        throw new RangeError(`components: duplicate code "${component.code}"`);
      }
      this.componentByCode.set(component.code, component);
    }
    for (const department of layers.departments) this.departmentById.set(department.id, department);
    for (const resource of layers.resources ?? []) {
      if (this.resourceById.has(resource.id)) throw new RangeError(`resources: duplicate id "${resource.id}"`);
      // A unit logs in to the broker with its id as username, as a terminal does: they must differ.
      if (this.terminalById.has(resource.id)) throw new RangeError(`resources: id "${resource.id}" is also a terminal's id`);
      this.resourceById.set(resource.id, resource);
    }
  }

  get resources(): readonly ResourceRecord[] {
    return this.layers.resources ?? [];
  }

  /** Whether `id` names a resource that sends a unit (a crew), i.e. an MQTT unit account. */
  isUnit(id: string): boolean {
    const r = this.resourceById.get(id);
    return r !== undefined && UNIT_KINDS.includes(r.kind);
  }

  get poles(): readonly PoleRecord[] {
    return this.layers.poles;
  }

  get terminals(): readonly TerminalRecord[] {
    return this.layers.terminals;
  }

  get components(): readonly ComponentRecord[] {
    return this.layers.components;
  }

  get buildings(): readonly BuildingRecord[] {
    return this.layers.buildings;
  }

  get departments(): readonly DepartmentRecord[] {
    return this.layers.departments;
  }

  terminalsOf(poleId: string): readonly TerminalRecord[] {
    return this.terminalsByPole.get(poleId) ?? [];
  }
}
