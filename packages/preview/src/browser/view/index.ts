// The view's entry (the page the preview server serves): fetches the compiled mini program, starts the
// worker that runs its logic, draws the phone frame, and reloads when the server says the folder changed.
import type { AppBundle } from '../shared/ir';
import { Preview } from './preview';

declare global {
  interface Window {
    /** For tests and the screenshot script. */
    __minipayPreview?: { firstPaint: Promise<void>; state: Preview['state'] };
  }
}

async function main(): Promise<void> {
  const response = await fetch('/__preview/app', { cache: 'no-store' });
  const bundle = (await response.json()) as AppBundle & { storageKey: string };
  const params = new URLSearchParams(location.search);
  const launchPath = params.get('page') ?? undefined;
  const query: Record<string, string> = {};
  const launchQuery = params.get('query');
  if (launchQuery) for (const [key, value] of new URLSearchParams(launchQuery)) query[key] = value;
  const worker = new Worker('/__preview/worker.js');
  const preview = new Preview({
    bundle,
    worker,
    storagePrefix: `minipay-preview:${bundle.storageKey}:`,
    launch: { ...(launchPath ? { path: launchPath } : {}), query },
  });
  window.__minipayPreview = { firstPaint: preview.firstPaint, state: () => preview.state() };
  preview.start();

  const events = new EventSource('/__preview/events');
  events.addEventListener('reload', () => location.reload());
}

main().catch((error: unknown) => {
  document.body.textContent = `The preview could not start: ${error instanceof Error ? error.message : String(error)}`;
});
