// The client's import of the seeded generator until it imports kernel/random.ts directly
// (client/src/core/componentSet.ts, client/src/core/syntheticDevices.ts); then delete this file.
export { mulberry32 } from '../kernel/random';
