export {
  ensureDevHome,
  resolveDevHome,
  devHomePaths,
  generateRsaKeyPair,
  HOME_VARIABLE,
  rotateWalletKey,
} from './dev-home';
export type { DevHome, DevHomePaths } from './dev-home';
export { DevHomeError } from './errors';
export type { DevHomeErrorCode } from './errors';
