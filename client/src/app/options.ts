/** The page's URL options, read once when the client starts. */
import { parseUrlOptions } from './core/urlOptions';

export const OPTIONS = parseUrlOptions(location.search, location.origin);
