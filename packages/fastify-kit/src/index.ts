export { keepRawBodies } from './raw-body';
export { frameworkErrorAnswer } from './framework-errors';
export type { FrameworkErrorAnswer } from './framework-errors';
