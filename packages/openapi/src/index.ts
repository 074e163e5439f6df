export * from './types';
export { ensureDevHome, resolveDevHome, generateRsaKeyPair } from './dev-home';
export type { DevHome } from './dev-home';
