import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import { dispatchResync, dispatchServerEvent } from './serverEvents';
import type { Alarm, LiveCounters, LiveMessage, TerminalLive } from '../../../../domain/live';
import type { HistorySnapshot } from '../../../../domain/history';
import type { LiveStatus } from '../../../../domain/terminals';
import { LiveSocket, type ConnectionState } from './liveSocket';

export type PoleChangeListener = (changes: ReadonlyArray<[string, LiveStatus]>) => void;

const EMPTY_COUNTERS: LiveCounters = {
  terminalsReporting: 0,
  terminalsOffline: 0,
  terminalsFault: 0,
  openAlarms: 0,
  messagesAccepted: 0,
  messagesRejected: 0,
};

const SEVERITY_RANK = { critical: 0, warning: 1 } as const;

/**
 * Live device state streamed from the server. Per-pole and per-terminal maps are plain (not
 * reactive) for speed at city scale; `version` ticks on every message so views can re-read them,
 * and the 3D scene subscribes to pole changes directly.
 *
 * Replay (features/history) shows a past moment through the same maps and listeners: while
 * `replayAt` is set, the stream's snapshots and deltas are dropped (server events still pass), and
 * `resumeLive()` reconnects for a fresh snapshot.
 */
export const useLiveStore = defineStore('live', () => {
  const connection = ref<ConnectionState>('connecting');
  const counters = ref<LiveCounters>({ ...EMPTY_COUNTERS });
  const alarms = ref<Alarm[]>([]);
  const deltasReceived = ref(0);
  const lastDeltaLatencyMs = ref<number | null>(null);
  const version = ref(0);
  const poleStatus = shallowRef(markRaw(new Map<string, LiveStatus>()));
  const terminals = shallowRef(markRaw(new Map<string, TerminalLive>()));
  /** The past moment shown instead of the live state (ms), or null when live. */
  const replayAt = ref<number | null>(null);

  const listeners = new Set<PoleChangeListener>();
  let socket: LiveSocket | undefined;

  function onPoleChanges(listener: PoleChangeListener): () => void {
    listeners.add(listener);
    if (poleStatus.value.size > 0) listener([...poleStatus.value]);
    return () => listeners.delete(listener);
  }

  function emit(changes: ReadonlyArray<[string, LiveStatus]>): void {
    if (changes.length === 0) return;
    for (const listener of listeners) listener(changes);
  }

  function sortAlarms(list: Alarm[]): Alarm[] {
    return list.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.raisedAt - a.raisedAt);
  }

  /** Snapshots received: the first starts the page, every later one follows a reconnection. */
  let snapshots = 0;

  function showState(state: Pick<HistorySnapshot, 'poles' | 'terminals' | 'alarms'>): void {
    poleStatus.value.clear();
    for (const [id, status] of state.poles) poleStatus.value.set(id, status);
    terminals.value.clear();
    for (const [id, status] of state.terminals) terminals.value.set(id, { id, status, ts: 0 });
    alarms.value = sortAlarms([...state.alarms]);
    emit(state.poles);
  }

  function apply(message: LiveMessage, receivedAt: number): void {
    if (replayAt.value !== null && message.type !== 'event') return;
    if (message.type === 'snapshot') {
      if (snapshots++ > 0) dispatchResync();
      showState(message);
    } else if (message.type === 'event') {
      dispatchServerEvent(message.topic, message.data);
      return;
    } else {
      for (const [id, status] of message.poles) poleStatus.value.set(id, status);
      for (const t of message.terminals) {
        const previous = terminals.value.get(t.id);
        terminals.value.set(t.id, {
          id: t.id,
          status: t.status,
          ts: t.ts,
          values: t.values ? { ...previous?.values, ...t.values } : previous?.values,
        });
      }
      if (message.alarmsRaised.length > 0 || message.alarmsCleared.length > 0) {
        const cleared = new Set(message.alarmsCleared);
        const raised = new Map(message.alarmsRaised.map((a) => [a.id, a]));
        const kept = alarms.value.filter((a) => !cleared.has(a.id) && !raised.has(a.id));
        alarms.value = sortAlarms([...kept, ...raised.values()]);
      }
      deltasReceived.value++;
      lastDeltaLatencyMs.value = Math.max(0, receivedAt - message.oldestIngestTime);
      emit(message.poles);
    }
    counters.value = message.counters;
    version.value++;
  }

  function start(): void {
    socket ??= new LiveSocket({
      onMessage: apply,
      onState: (state) => {
        connection.value = state;
      },
    });
    socket.open();
  }

  function stop(): void {
    socket?.close();
  }

  /** Shows a past moment (a history snapshot) with its counters; live updates wait until `resumeLive()`. */
  function showReplay(snapshot: HistorySnapshot, replayCounters: LiveCounters): void {
    replayAt.value = snapshot.at;
    showState(snapshot);
    counters.value = replayCounters;
    version.value++;
  }

  /** Back to the present: a new connection brings a fresh snapshot. */
  function resumeLive(): void {
    if (replayAt.value === null) return;
    replayAt.value = null;
    if (!socket) return;
    socket.close();
    socket.open();
  }

  return {
    connection,
    counters,
    alarms,
    deltasReceived,
    lastDeltaLatencyMs,
    version,
    poleStatus,
    terminals,
    replayAt,
    start,
    stop,
    showReplay,
    resumeLive,
    onPoleChanges,
  };
});
