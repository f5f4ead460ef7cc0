/**
 * Version of what the demo generator and the tiler produce. Bump it when their output changes,
 * so `npm start` rebuilds a demo twin made by an older version instead of serving it.
 */
export const PIPELINE_VERSION = 8;
