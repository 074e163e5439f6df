// The worker's side of the message channel: posting to the view, calling into it and awaiting the reply,
// and reporting problems (the view's overlay and the console both show them).
import type { PreviewProblem } from '../shared/ir';
import type { ToView } from '../shared/protocol';

declare const self: { postMessage(message: unknown): void };

let nextCall = 1;
const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();

export function post(message: ToView): void {
  self.postMessage(message);
}

/** Asks the view to do something (draw a toast, open the cashier); resolves with its answer. */
export function callView<T>(api: string, options: Record<string, unknown>): Promise<T> {
  const call = nextCall++;
  return new Promise<T>((resolve, reject) => {
    pending.set(call, { resolve: resolve as (value: unknown) => void, reject });
    post({ t: 'call', call, api, options });
  });
}

export function settleCall(call: number, ok: boolean, value: unknown): void {
  const waiting = pending.get(call);
  if (!waiting) return;
  pending.delete(call);
  if (ok) waiting.resolve(value);
  else waiting.reject(value);
}

/** Where in the mini program's own files an error was thrown: the first frame of an app:/// script. */
export function locate(error: unknown): { file?: string; line?: number; column?: number } {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const match = /app:\/\/\/([^\s:)]+):(\d+):(\d+)/.exec(stack);
  return match ? { file: match[1] as string, line: Number(match[2]), column: Number(match[3]) } : {};
}

export function report(problem: PreviewProblem): void {
  console.error(
    `[minipay-preview] ${problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ''}: ` : ''}${problem.message}`,
  );
  post({ t: 'problem', problem });
}

/** An error thrown by the mini program's code, reported with the file and line its stack names. */
export function reportError(code: string, what: string, error: unknown, fallbackFile?: string): void {
  const where = locate(error);
  const message =
    error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  report({
    code,
    message: `${what}: ${message}`,
    ...(where.file ? where : fallbackFile ? { file: fallbackFile } : {}),
    ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
  });
}
