// No order stays PAYING forever: every `intervalMs` (and once at start-up, which resolves orders left PAYING by a
// crash or restart) the reconciler has the inquirer refresh the stale orders (PAYING for longer than
// `reconcileAfterMs`: the inquirer's rule, the same a read of the order applies) and the CREATED orders past expiry. Notifications that were lost, and the 6002/6004/8000 cases where the
// client could not tell, end in the right state this way.
import type { FastifyBaseLogger } from 'fastify';
import type { Inquirer } from './inquirer';
import { errorSummary } from './internal/error-summary';
import type { PayingCursor, Storage } from './storage';

export interface ReconcilerOptions {
  storage: Storage;
  /** Holds the rule of what is stale, and de-duplicates and rate-limits the inquiries. */
  inquirer: Pick<Inquirer, 'refresh' | 'staleBefore'>;
  log: FastifyBaseLogger;
  clock: () => number;
  intervalMs: number;
  /** Orders looked at per run (oldest first); the rest wait for the next run. Default 100. */
  batchSize?: number;
  /** Inquiries in flight at once. Default 4. */
  concurrency?: number;
}

export class Reconciler {
  private readonly options: ReconcilerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** Set by stop(): a run under way finishes the inquiry in hand and asks nothing more. */
  private halting = false;
  /** Where the previous run's page of stale PAYING orders ended; the next run goes on from there. */
  private cursor: PayingCursor | undefined;

  constructor(options: ReconcilerOptions) {
    this.options = options;
  }

  /** Runs once now, then every `intervalMs` (a run never overlaps the previous one). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halting = false;
    this.schedule(0);
  }

  /** Stops scheduling and waits for a run under way to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halting = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: expire stale CREATED orders, then inquire about stale PAYING ones. Never throws. */
  async runOnce(): Promise<void> {
    const { storage, inquirer, clock, log } = this.options;
    const batch = this.options.batchSize ?? 100;
    try {
      for (const order of await storage.listCreatedExpired(clock(), batch)) {
        await inquirer.refresh(order);
      }
      // One page per run, round-robin over every stale PAYING order: were it always the oldest page, more stale
      // orders than a page (say, ones the wallet keeps answering U about) would starve every newer one.
      const before = inquirer.staleBefore();
      let stale = await storage.listPayingSince(before, batch, this.cursor);
      if (stale.length === 0 && this.cursor !== undefined) stale = await storage.listPayingSince(before, batch);
      const last = stale[stale.length - 1];
      this.cursor =
        stale.length === batch && last !== undefined && last.payingSince !== null
          ? { payingSince: last.payingSince, id: last.id }
          : undefined;
      const queue = [...stale];
      const worker = async (): Promise<void> => {
        for (let order = queue.shift(); order !== undefined && !this.halting; order = queue.shift()) {
          await inquirer.refresh(order);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, queue.length) }, worker));
    } catch (error) {
      // A broken database is logged and retried next run; it must not kill the process from a timer.
      log.error({ err: errorSummary(error) }, 'reconciler run failed');
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule(this.options.intervalMs);
      });
    }, delay);
  }
}
