// The messages between the view (main thread) and the logic (Web Worker). They travel by postMessage, so
// everything in them is structured-cloned: data was sanitised first (sanitize.ts), functions travel as names.
import type { AppBundle, PreviewProblem } from './ir';

/** A function prop as it travels: the owner's method of that name (`onChange="onQuantityChange"`). */
export interface FunctionRef {
  __minipayFn: string;
  owner: number;
}

export function isFunctionRef(value: unknown): value is FunctionRef {
  return typeof value === 'object' && value !== null && typeof (value as FunctionRef).__minipayFn === 'string';
}

export interface SystemInfo {
  windowWidth: number;
  windowHeight: number;
  screenWidth: number;
  screenHeight: number;
  pixelRatio: number;
  statusBarHeight: number;
  titleBarHeight: number;
  language: string;
  platform: string;
  system: string;
  model: string;
  brand: string;
  version: string;
  app: string;
  fontSizeSetting: number;
}

/** What the platform puts in an event handler's argument. */
export interface ViewEvent {
  type: string;
  timeStamp: number;
  target: { id: string; tagName: string; dataset: Record<string, unknown>; targetDataset: Record<string, unknown> };
  currentTarget: { id: string; tagName: string; dataset: Record<string, unknown> };
  detail: Record<string, unknown>;
}

export type ToWorker =
  | {
      t: 'boot';
      bundle: AppBundle;
      storage: Record<string, string>;
      system: SystemInfo;
      launch: { path?: string; query: Record<string, string> };
    }
  /** Custom components the view found while rendering, with the props their owner gave them. */
  | {
      t: 'create';
      items: Array<{
        id: number;
        path: string;
        props: Record<string, unknown>;
        owner: number;
        page: number;
        ref?: string;
      }>;
    }
  | { t: 'props'; items: Array<{ id: number; props: Record<string, unknown> }> }
  | { t: 'unmount'; ids: number[] }
  /** The view has drawn these instances up to update `seq` (0: their first render). */
  | { t: 'rendered'; items: Array<{ id: number; seq: number }> }
  | { t: 'event'; owner: number; handler: string; event: ViewEvent; file?: string; line?: number }
  | { t: 'reply'; call: number; ok: boolean; value: unknown }
  | { t: 'back' };

export type PageOp =
  | { op: 'push'; id: number; route: string; data: Record<string, unknown>; methods: string[] }
  | { op: 'pop'; id: number }
  | { op: 'show'; id: number };

export type ToView =
  | ({ t: 'page' } & PageOp)
  /** A component's data after onInit and deriveDataFromProps, the methods its template may bind and its default props. */
  | { t: 'ready'; id: number; data: Record<string, unknown>; methods: string[]; defaults: Record<string, unknown> }
  | { t: 'update'; id: number; seq: number; patch: Array<[string, unknown]> }
  /** A JSAPI that needs the view (toast, sheets, title bar, selector queries, the cashier). */
  | { t: 'call'; call: number; api: string; options: Record<string, unknown> }
  | { t: 'problem'; problem: PreviewProblem }
  | { t: 'storage'; key: string; value: string | null }
  | { t: 'booted' };
