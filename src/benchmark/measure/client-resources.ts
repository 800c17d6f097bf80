/**
 * This process's CPU time (user + system, process.cpuUsage) and its peak resident set size during a run. RSS is
 * sampled every ~100 ms on an unref'd timer, so a sampler left running never keeps the process alive.
 */
import type { BenchRun } from '../results.js';

export const SAMPLE_MS = 100;

export class ClientSampler {
  private readonly cpuAtStart = process.cpuUsage();
  private peakRss = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), SAMPLE_MS).unref();

  private sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }

  stop(): BenchRun['client'] {
    clearInterval(this.timer);
    this.sample();
    const used = process.cpuUsage(this.cpuAtStart);
    return { cpuSeconds: (used.user + used.system) / 1e6, peakRssBytes: this.peakRss };
  }
}
