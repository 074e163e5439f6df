// The worker's entry: the logic thread of the mini program. It waits for `boot` (the compiled folder, the
// stored storage, the system info), then runs app.js, the components' and pages' files and the launch page,
// and from then on answers the view's messages.
import type { ToWorker } from '../shared/protocol';
import { report, reportError, settleCall } from './channel';
import { createMy } from './my';
import { Runtime } from './runtime';

let runtime: Runtime | undefined;

self.addEventListener('error', (event) => {
  reportError('UNCAUGHT', 'uncaught error', (event as ErrorEvent).error ?? (event as ErrorEvent).message);
});
self.addEventListener('unhandledrejection', (event) => {
  reportError('UNHANDLED_REJECTION', 'unhandled promise rejection', (event as PromiseRejectionEvent).reason);
});

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.t === 'boot') {
    const storage = new Map(Object.entries(message.storage));
    const my = createMy({
      runtime: () => runtime as Runtime,
      storage,
      system: message.system,
      serverOrigin: self.location.origin,
    });
    runtime = new Runtime(message.bundle, my);
    runtime.boot(message.launch);
    return;
  }
  if (message.t === 'reply') {
    settleCall(message.call, message.ok, message.value);
    return;
  }
  if (!runtime) return;
  try {
    switch (message.t) {
      case 'create':
        for (const item of message.items) runtime.createComponent(item);
        break;
      case 'props':
        for (const item of message.items) runtime.updateProps(item.id, item.props);
        break;
      case 'unmount':
        runtime.unmount(message.ids);
        break;
      case 'rendered':
        for (const item of message.items) runtime.rendered(item.id, item.seq);
        break;
      case 'event':
        runtime.dispatch(message.owner, message.handler, message.event, {
          ...(message.file ? { file: message.file } : {}),
          ...(message.line ? { line: message.line } : {}),
        });
        break;
      case 'back':
        runtime.navigateBack(1);
        break;
    }
  } catch (error) {
    report({
      code: 'PREVIEW',
      message: `the preview's worker failed on ${message.t}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
});
