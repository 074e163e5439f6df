// No order stays PAYING (and no refund PENDING) forever: every `intervalMs` (and once at start-up, which resolves orders left PAYING by a
// crash or restart) the reconciler expires the CREATED orders past expiry and has the inquirer ask about the stale
// PAYING ones (PAYING for longer than `reconcileAfterMs`: the inquirer's rule, the same a read of the order applies).
// Notifications that were lost, and the 6002/6004/8000 cases where the client could not tell, end in the right state
// this way. Every instance may run one: each stale order is claimed from the database (its inquiry lease), so two
// reconcilers never ask about the same order, and the least recently asked comes first, so orders the wallet keeps
// answering "unknown" about cannot starve the others. Expiring is a conditional transition, nothing external: two
// instances expiring the same order make one transition.
import type { FastifyBaseLogger } from 'fastify';
import type { Inquirer } from './inquirer';
import { errorSummary } from './internal/error-summary';
import type { Refunder } from './refunds';
import type { Storage } from './storage';

export interface ReconcilerOptions {
  storage: Storage;
  /** Holds the rule of what is stale, and claims and asks about stale orders. */
  inquirer: Pick<Inquirer, 'refresh' | 'inquireNextStale'>;
  /** Sends PENDING refunds again (a `U` or a timeout earlier), each claimed from the database. */
  refunds?: Pick<Refunder, 'retryNextPending'>;
  log: FastifyBaseLogger;
  clock: () => number;
  intervalMs: number;
  /** Orders asked about per run, at most; the rest wait for the next run. Default 100. */
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
        if (this.halting) return;
        await inquirer.refresh(order);
      }
      // Each worker claims one order at a time, just before asking: a claim taken long before its inquiry could
      // outlive its lease while it waits its turn.
      // Each order once per run: only orders last asked about before this run began.
      const askedBefore = clock();
      let budget = batch;
      const worker = async (): Promise<void> => {
        while (!this.halting && budget > 0) {
          budget -= 1;
          if ((await inquirer.inquireNextStale({ askedBefore })) === undefined) return;
        }
      };
      await Promise.all(Array.from({ length: this.options.concurrency ?? 4 }, worker));
      // Refunds the wallet has not answered yet: the same request again, until it says S or F.
      const refunds = this.options.refunds;
      for (let sent = 0; refunds !== undefined && !this.halting && sent < batch; sent += 1) {
        if ((await refunds.retryNextPending()) === undefined) break;
      }
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
