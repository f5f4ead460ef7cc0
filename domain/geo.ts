// The client's import of the geodesy until it imports kernel/geodesy.ts directly
// (client/src/cases/caseSurroundings.ts); then delete this file.
export { distanceM } from '../kernel/geodesy';
