export { keepRawBodies } from './raw-body';
export { frameworkErrorAnswer } from './framework-errors';
export type { FrameworkErrorAnswer } from './framework-errors';
export { assertJsonNesting, jsonNestingDepth, JsonNestingError, MAX_JSON_NESTING } from './json-nesting';
export {
  capConnections,
  DEFAULT_HTTP_LIMITS,
  fastifyHttpOptions,
  httpLimitsProblem,
  MAX_HTTP_TIMEOUT_MS,
} from './http-limits';
export type { HttpLimits } from './http-limits';
