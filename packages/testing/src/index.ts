export { BROWSER_VARIABLES, BrowserNotFoundError, CHROMIUM_ARGS, browserCandidates, findChromium } from './chromium';
export type { FindChromiumOptions } from './chromium';
export { launchChromium } from './launch';
