/**
 * Server events (case transitions, scenario progress, …) arrive on the live socket; stores that
 * care subscribe here by topic instead of each opening a socket of their own.
 *
 * Events are not replayed: what changed while the socket was down (a restart of the server
 * instance, a network gap) is missed. So after every snapshot but the first, `onResync`
 * listeners reload what they hold from the API.
 */
import type { ServerEventTopic } from '../../../../domain/live';

type Listener = (data: unknown) => void;

const listeners = new Map<ServerEventTopic, Set<Listener>>();

/** Calls `listener` with each event's data on `topic`; returns the unsubscribe function. */
export function onServerEvent(topic: ServerEventTopic, listener: Listener): () => void {
  let set = listeners.get(topic);
  if (!set) listeners.set(topic, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export function dispatchServerEvent(topic: ServerEventTopic, data: unknown): void {
  for (const listener of listeners.get(topic) ?? []) listener(data);
}

const resyncListeners = new Set<() => void>();

/** Calls `listener` whenever the live socket started over, so events may have been missed. */
export function onResync(listener: () => void): () => void {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

export function dispatchResync(): void {
  for (const listener of resyncListeners) listener();
}
