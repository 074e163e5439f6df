export { installSandbox } from './install-sandbox';
export type {
  InstallSandboxOptions,
  SandboxMy,
  ShimFailure,
  ShimActionSheetOptions,
  ShimGetAuthCodeOptions,
  ShimRequestOptions,
  ShimTradePayOptions,
} from './install-sandbox';
export { OUTCOMES, OUTCOME_NAMES, isOutcome } from '../outcomes';
export { SandboxError } from '../errors';
export type { SandboxErrorCode } from '../errors';
export type { Outcome, OutcomeDefinition } from '../outcomes';
