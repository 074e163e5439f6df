// Loaded into each server process the production-shaped bench starts (`node --import <this> <bin>`): it counts what
// the process does, so the bench can say what one paid order costs, and answers the bench over the IPC channel.
// Counted: signatures and verifications (every call of node:crypto's sign and verify, pooled or not), HTTP requests
// served and TCP connections accepted (keep-alive: connections stay few while requests grow), the CPU time the
// process used and its event loop utilisation. The bin itself runs unchanged.
//
// Messages: { type: 'reset' } starts a window; { type: 'report' } answers { type: 'report', ...figures } for the
// window; { type: 'stop' } stops the process as SIGTERM would (on any OS), then lets the IPC channel go.
// MINIPAY_BENCH_PROFILE=<dir> also takes a CPU profile of each window, written there as
// <part>-<window>.cpuprofile (open it in Chrome DevTools' Performance panel): where the time of each figure goes.
import crypto from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { performance } from 'node:perf_hooks';

const counts = { sign: 0, verify: 0, requests: 0, connections: 0 };

const originalSign = crypto.sign;
const originalVerify = crypto.verify;
crypto.sign = function countedSign(...args) {
  counts.sign += 1;
  return originalSign.apply(this, args);
};
crypto.verify = function countedVerify(...args) {
  counts.verify += 1;
  return originalVerify.apply(this, args);
};
// ESM importers of node:crypto see the counted functions too.
syncBuiltinESMExports();

const originalEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function countedEmit(event, ...args) {
  if (event === 'request') counts.requests += 1;
  else if (event === 'connection') counts.connections += 1;
  return originalEmit.call(this, event, ...args);
};

let window = start();

function start() {
  for (const key of Object.keys(counts)) counts[key] = 0;
  return { at: performance.now(), cpu: process.cpuUsage(), loop: performance.eventLoopUtilization() };
}

function report() {
  const cpu = process.cpuUsage(window.cpu);
  return {
    ...counts,
    seconds: (performance.now() - window.at) / 1000,
    // User + system time of all the process's threads (the event loop and libuv's pool), in seconds.
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    systemCpuSeconds: cpu.system / 1e6,
    eventLoopUtilization: performance.eventLoopUtilization(window.loop).utilization,
    rssBytes: process.memoryUsage.rss(),
    pid: process.pid,
  };
}

const profileDir = process.env.MINIPAY_BENCH_PROFILE;
const profiler = profileDir ? new Session() : undefined;
let profiles = 0;
const post = (method) =>
  new Promise((resolve, reject) => profiler.post(method, (e, r) => (e ? reject(e) : resolve(r))));
if (profiler) {
  // Made here, so that a folder named for the first time does not stop the server at its first window.
  mkdirSync(profileDir, { recursive: true });
  profiler.connect();
  await post('Profiler.enable');
}

if (process.send) {
  process.on('message', async (message) => {
    if (message?.type === 'reset') {
      if (profiler) await post('Profiler.start');
      window = start();
      process.send({ type: 'reset' });
    } else if (message?.type === 'report') {
      const figures = report();
      if (profiler) {
        const { profile } = await post('Profiler.stop');
        profiles += 1;
        writeFileSync(
          join(profileDir, `${process.env.MINIPAY_BENCH_PART}-${profiles}.cpuprofile`),
          JSON.stringify(profile),
        );
      }
      process.send({ type: 'report', ...figures });
    } else if (message?.type === 'stop') {
      process.disconnect();
      // The bins stop gracefully on SIGTERM; emitting it works the same on Windows, where there are no signals.
      process.emit('SIGTERM', 'SIGTERM');
    }
  });
}
