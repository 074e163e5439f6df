// A client that holds a connection the way a slow or hostile one does: connects, sends what it is given (nothing, a
// head, part of a body), optionally trickles a byte at a time, and reports whether and when the server closed it.
import { connect } from 'node:net';

export interface HoldSocketOptions {
  /** Sent once connected (e.g. a request head whose body never comes). Default nothing. */
  send?: string | Buffer;
  /** Then one more byte this often, so the socket is never idle (a slow-loris body). Default none. */
  trickleEveryMs?: number;
  /** How long to wait for the server to close it; after that the probe closes it itself. */
  waitMs: number;
}

export interface SocketHold {
  /** True when the server ended the connection within `waitMs`. */
  closedByServer: boolean;
  /** Milliseconds from connecting to the close (either side's). */
  afterMs: number;
  /** What the server sent meanwhile (e.g. `HTTP/1.1 408 Request Timeout`). */
  received: string;
}

/** Holds one connection to `origin` (`http://host:port`) as `options` say. */
export function holdSocket(origin: string, options: HoldSocketOptions): Promise<SocketHold> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    const chunks: Buffer[] = [];
    let connectedAt = 0;
    let trickle: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const limit = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, options.waitMs);
    socket.on('connect', () => {
      connectedAt = performance.now();
      if (options.send !== undefined) socket.write(options.send);
      if (options.trickleEveryMs !== undefined) {
        trickle = setInterval(() => {
          if (socket.writable) socket.write('x');
        }, options.trickleEveryMs);
      }
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A write racing the server's close is the close itself, not a failure of the probe.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (connectedAt === 0) {
        clearTimeout(limit);
        reject(error);
      }
    });
    socket.on('close', () => {
      clearTimeout(limit);
      if (trickle) clearInterval(trickle);
      if (connectedAt === 0) return;
      resolve({
        closedByServer: !gaveUp,
        afterMs: Math.round(performance.now() - connectedAt),
        received: Buffer.concat(chunks).toString('latin1'),
      });
    });
  });
}

export interface HttpLimitsProbe {
  /** Connected, never sent a byte. */
  idle: SocketHold;
  /** Headers trickled a byte at a time, never finished (slow loris). */
  slowHeaders: SocketHold;
  /** A head announcing 100 bytes of body, then 10 of them and silence. */
  shortBody: SocketHold;
  /** A head announcing 100 bytes of body, then one byte at a time: never idle, never done. */
  trickledBody: SocketHold;
  /** One whole request answered, then the keep-alive socket left idle. */
  keptAlive: SocketHold;
}

/**
 * Holds five connections to a server at once, one per way a client can hold a connection without finishing with it,
 * each for at most `waitMs`. `postPath` takes a JSON body; `getPath` answers a GET.
 */
export async function probeHttpLimits(
  origin: string,
  paths: { postPath: string; getPath: string },
  waitMs: number,
): Promise<HttpLimitsProbe> {
  const host = new URL(origin).host;
  const postHead = `POST ${paths.postPath} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
  const [idle, slowHeaders, shortBody, trickledBody, keptAlive] = await Promise.all([
    holdSocket(origin, { waitMs }),
    holdSocket(origin, {
      send: `GET ${paths.getPath} HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `,
      trickleEveryMs: 50,
      waitMs,
    }),
    holdSocket(origin, { send: `${postHead}{"items":[`, waitMs }),
    holdSocket(origin, { send: postHead, trickleEveryMs: 50, waitMs }),
    holdSocket(origin, { send: `GET ${paths.getPath} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, waitMs }),
  ]);
  return { idle, slowHeaders, shortBody, trickledBody, keptAlive };
}
