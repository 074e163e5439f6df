// Group commit for the SQLite file: the same durability as `synchronous = FULL`, without an fsync on the event loop.
//
// With `synchronous = FULL` every commit fsyncs the WAL inside better-sqlite3's synchronous call, so while the disk
// flushes (milliseconds) no other request of the server moves, and concurrent commits each pay for their own flush.
// Instead the connection runs with `synchronous = NORMAL` (a commit writes its WAL frames, SQLite still syncs around
// checkpoints and WAL resets) and this flushes the WAL file itself, in libuv's thread pool: every commit made before a
// flush starts is on disk when it ends, so one `fdatasync` serves every request waiting at that moment.
//
// The storage's rule on top: a method returns only after every commit made on its connection so far is flushed (its
// own, and any it could have read from a concurrent call), so nothing leaves the process (an answer, a `pay` to the
// wallet, an acknowledgement) before the commit it reports is on disk, as with FULL. Another process on the same file
// flushes its own commits the same way before it reports them.
//
// Portable: `fdatasync` is libuv's flush of a file's data on each OS (FlushFileBuffers on Windows, which is why the
// file is opened for writing). libuv's handle shares delete access, so SQLite may still remove the WAL when the last
// connection closes; this one is closed first anyway.
import { close, fdatasync, open } from 'node:fs';
import { promisify } from 'node:util';
import { MerchantServerError } from '../errors';

const openFile = promisify(open);
const syncData = promisify(fdatasync);
const closeFile = promisify(close);

export class WalFlush {
  private fd: number | undefined;
  /** Commits made on the connection so far. */
  private commits = 0;
  /** Of those, how many are known to be on disk. */
  private flushed = 0;
  /** `fdatasync` calls that succeeded. */
  private flushes = 0;
  private running: Promise<void> | undefined;
  /** Once a flush failed, what was written may be lost: every later call fails rather than report it durable. */
  private failure: MerchantServerError | undefined;

  /** @param walPath the database file's `-wal` file (SQLite keeps it while the connection is open) */
  constructor(private readonly walPath: string) {}

  /** Commits counted, commits known on disk, flushes made (for tests and the bench). */
  get counts(): { commits: number; flushed: number; flushes: number } {
    return { commits: this.commits, flushed: this.flushed, flushes: this.flushes };
  }

  /** Counts a commit: its frames are in the WAL file, maybe not on disk yet. */
  committed(): void {
    this.commits++;
  }

  /** Resolves once every commit counted so far is on disk; rejects with `STORAGE_ERROR` if the disk refused. */
  async durable(): Promise<void> {
    const target = this.commits;
    while (this.flushed < target && this.failure === undefined) {
      // A flush already running may have started before the commits waited for: then one more after it.
      this.running ??= this.flush().finally(() => {
        this.running = undefined;
      });
      await this.running;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits for a running flush, then closes the file (before the connection closes, which may delete it). */
  async close(): Promise<void> {
    await this.running;
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await closeFile(fd);
  }

  private async flush(): Promise<void> {
    const upTo = this.commits;
    try {
      this.fd ??= await openFile(this.walPath, 'r+');
      await syncData(this.fd);
      this.flushes++;
      this.flushed = upTo; // flushes run one at a time, each counting more commits than the last
    } catch (error) {
      this.failure = new MerchantServerError(
        `cannot flush the database's write-ahead log ${this.walPath} to disk (${(error as Error).message}): ` +
          'the last changes may not be stored; restart the server once the disk is fixed',
        { code: 'STORAGE_ERROR', cause: error },
      );
    }
  }
}
