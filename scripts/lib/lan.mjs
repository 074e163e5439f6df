// Which interface the local stack listens on: 127.0.0.1 by default; with `--lan [address]` (or `MINIPAY_HOST`) an
// address a phone or a second computer on the same network can reach. One address for every part, because the
// mini program is built with it, the sandbox writes it into cashier links, and the shim only recognises links under
// the address it was built with.
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** The variable that sets the stack's address, as `--lan <address>` does. */
export const HOST_VARIABLE = 'MINIPAY_HOST';

/**
 * The IPv4 addresses of this machine's network interfaces other than loopback, in the order the OS lists them.
 * @param {ReturnType<typeof networkInterfaces>} interfaces injectable for tests
 */
export function lanAddresses(interfaces = networkInterfaces()) {
  return Object.values(interfaces)
    .flat()
    .filter((entry) => entry && (entry.family === 'IPv4' || entry.family === 4) && !entry.internal)
    .map((entry) => entry.address);
}

/**
 * `--lan` and `--lan <address>` out of `argv`: `{ lan, rest }` where `lan` is undefined (no flag), `true` (pick an
 * address) or the address given; `rest` is every other argument, in order.
 */
export function takeLanFlag(argv) {
  const rest = [];
  let lan;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg.startsWith('--lan=')) lan = arg.slice('--lan='.length) || true;
    else if (arg === '--lan') {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        lan = next;
        i += 1;
      } else lan = true;
    } else rest.push(arg);
  }
  return { lan, rest };
}

/**
 * The address the stack listens on and writes into every URL.
 * @param {{ lan?: true | string, env?: Record<string, string | undefined>, defaultHost: string,
 *   interfaces?: ReturnType<typeof networkInterfaces> }} options
 * @returns {string}
 * @throws {Error} with a message for the terminal when no usable address is found or given
 */
export function chooseHost({ lan, env = process.env, defaultHost, interfaces }) {
  const named = typeof lan === 'string' ? lan : lan === true ? undefined : env[HOST_VARIABLE] || undefined;
  const source = typeof lan === 'string' ? '--lan' : HOST_VARIABLE;
  if (named === undefined) {
    if (lan !== true) return defaultHost;
    const [first] = lanAddresses(interfaces);
    if (first === undefined) {
      throw new Error(
        'npm start -- --lan found no network address on this machine other than loopback: connect it to the ' +
          "phone's network (Wi-Fi), or name an address with --lan <address>",
      );
    }
    return first;
  }
  if (isIP(named) === 0)
    throw new Error(`${source} must be an IP address of this machine, got ${JSON.stringify(named)}`);
  if (named === '0.0.0.0' || named === '::') {
    const known = lanAddresses(interfaces);
    throw new Error(
      `${source} ${named} is every interface, but the mini program needs one address to call: name one` +
        (known.length > 0 ? ` (this machine has ${known.join(', ')})` : ''),
    );
  }
  return named;
}

/** `host` as it goes into a URL (an IPv6 address in brackets). */
export function urlHost(host) {
  return host.includes(':') ? `[${host}]` : host;
}
