export { BROWSER_VARIABLES, BrowserNotFoundError, CHROMIUM_ARGS, browserCandidates, findChromium } from './chromium';
export type { FindChromiumOptions } from './chromium';
export { launchChromium } from './launch';
export { PostgresNotFoundError, findPostgresBin, startPostgres } from './postgres';
export type { PostgresCluster, StartPostgresOptions } from './postgres';
