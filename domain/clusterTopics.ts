/**
 * Topics the instances of one deployment talk on, through the same broker the devices use
 * (docs/deployment.md). Devices may not touch them (domain/devices.ts, the Mosquitto ACL).
 *
 *   citytwin/v1/cluster/members/{instanceId}   retained presence; emptied by the instance's last will
 *   citytwin/v1/cluster/live/{instanceId}      live state changes of the messages it ingested
 *   citytwin/v1/cluster/events/{instanceId}    server events (case, kpi, scenario) for browsers
 *
 * The ingest shares the device topics among instances with an MQTT 5 / Mosquitto shared
 * subscription, `$share/{INGEST_SHARE_GROUP}/…`: each device message reaches one instance.
 */
import { INGEST_SUBSCRIPTIONS } from './topics';

export const CLUSTER_PREFIX = 'citytwin/v1/cluster';
export const CLUSTER_CHANNELS = ['members', 'live', 'events'] as const;
export type ClusterChannel = (typeof CLUSTER_CHANNELS)[number];

export const INGEST_SHARE_GROUP = 'citytwin-ingest';

/** Instance ids name a topic level and an MQTT client id. */
const INSTANCE_ID = /^[A-Za-z0-9_.-]{1,48}$/;

export function isInstanceId(id: string): boolean {
  return INSTANCE_ID.test(id);
}

export function clusterTopic(channel: ClusterChannel, instanceId: string): string {
  return `${CLUSTER_PREFIX}/${channel}/${instanceId}`;
}

/** `{ channel, instanceId }` of a cluster topic, or undefined. */
export function parseClusterTopic(topic: string): { channel: ClusterChannel; instanceId: string } | undefined {
  if (!topic.startsWith(`${CLUSTER_PREFIX}/`)) return undefined;
  const [channel, instanceId, ...rest] = topic.slice(CLUSTER_PREFIX.length + 1).split('/');
  if (rest.length > 0 || !instanceId || !isInstanceId(instanceId)) return undefined;
  return (CLUSTER_CHANNELS as readonly string[]).includes(channel!) ? { channel: channel as ClusterChannel, instanceId } : undefined;
}

/** The ingest's subscriptions when instances share the work. */
export const SHARED_INGEST_SUBSCRIPTIONS = INGEST_SUBSCRIPTIONS.map((filter) => `$share/${INGEST_SHARE_GROUP}/${filter}`);
