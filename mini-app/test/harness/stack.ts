/**
 * The real local stack for end-to-end tests: the wallet sandbox and the merchant server on free ports,
 * sharing one temporary dev home, with compressed retry and reconcile timings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMerchantServer } from '@minipay/merchant-server';
import { startSandbox } from '@minipay/wallet-sandbox';

export interface Stack {
  home: string;
  merchantUrl: string;
  sandboxUrl: string;
  /** `POST /sandbox/faults` (no paymentId = for payments created from now on). */
  setFaults(faults: Record<string, unknown>): Promise<unknown>;
  clearFaults(): Promise<void>;
  /** `GET /sandbox/payments/:id`: the wallet's record, with its notification attempts. */
  sandboxPayment(paymentId: string): Promise<any>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** The merchant's reconciler asks the wallet about orders PAYING longer than this. Default 300 ms. */
  reconcileAfterMs?: number;
  /** How long a session token lives. Default the server's (a day). */
  sessionTtlMs?: number;
  /** The merchant's catalog file (`MINIPAY_CATALOG`). Default the demo catalog. */
  catalogPath?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const home = mkdtempSync(join(tmpdir(), 'minipay-mini-app-'));
  const sandbox = await startSandbox({ home, port: 0, retrySchedule: [50, 100, 200], log: () => {} });
  let merchant;
  try {
    merchant = await startMerchantServer({
      home,
      port: 0,
      walletUrl: sandbox.url,
      reconcileAfterMs: options.reconcileAfterMs ?? 300,
      reconcileIntervalMs: 100,
      inquiryMinIntervalMs: 50,
      log: false,
      ...(options.sessionTtlMs === undefined ? {} : { sessionTtlMs: options.sessionTtlMs }),
      ...(options.catalogPath === undefined ? {} : { catalogPath: options.catalogPath }),
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const sandboxJson = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(sandbox.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const running = merchant;
  return {
    home,
    merchantUrl: running.url,
    sandboxUrl: sandbox.url,
    setFaults: (faults) => sandboxJson('POST', '/sandbox/faults', faults),
    clearFaults: async () => {
      await sandboxJson('DELETE', '/sandbox/faults');
    },
    sandboxPayment: (paymentId) => sandboxJson('GET', `/sandbox/payments/${encodeURIComponent(paymentId)}`),
    async close() {
      await running.close();
      await sandbox.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
