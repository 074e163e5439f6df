export { startPreview, DEFAULT_WIDTH } from './server';
export type { PreviewOptions, RunningPreview } from './server';
export { PreviewError } from './errors';
export type { PreviewErrorCode } from './errors';
export { compileApp } from './app-compiler';
export type { CompileAppOptions } from './app-compiler';
export type { AppBundle, PreviewProblem } from './browser/shared/ir';
