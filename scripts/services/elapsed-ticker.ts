/**
 * A worker thread that redraws `<line> 12s` on a terminal every interval while the main thread is blocked in a
 * synchronous install step (spawnSync of apt-get, mvn, go): a timer on the main thread could not fire then. It
 * writes straight to the terminal's file descriptor, and only while `state` says RUNNING, so the main thread can stop
 * it (Ticker.stop in step.ts) before writing its own line, without two writers ever interleaving.
 */
import { writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { CLEAR_LINE, elapsed, RUNNING, WRITING, type TickerData } from './step.js';

const { fd, line, startMs, intervalMs, state } = workerData as TickerData;

while (Atomics.wait(state, 0, RUNNING, intervalMs) === 'timed-out') {
  // Claim the terminal for one write; a stop that came first wins.
  if (Atomics.compareExchange(state, 0, RUNNING, WRITING) !== RUNNING) break;
  writeSync(fd, `${CLEAR_LINE}${line} ${elapsed(Date.now() - startMs)}`);
  Atomics.store(state, 0, RUNNING);
  Atomics.notify(state, 0);
}
