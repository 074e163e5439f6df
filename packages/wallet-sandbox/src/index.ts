export { startSandbox } from './sandbox';
export { SandboxError } from './errors';
export type { SandboxErrorCode } from './errors';
export type { RunningSandbox, SandboxOptions } from './sandbox';
export { OUTCOMES, OUTCOME_NAMES, isOutcome } from './outcomes';
export type { Outcome, OutcomeDefinition, SandboxPaymentStatus } from './outcomes';
export { FAULT_NAMES } from './faults';
export type { Faults } from './faults';
export { DEFAULT_RETRY_SCHEDULE } from './retry-schedule';
