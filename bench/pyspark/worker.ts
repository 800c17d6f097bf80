import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import type { RunRequest, RunResult } from './protocol.js';
import { peakRssWhile } from './rss.js';

/**
 * One engine's long-lived worker process (streamlab-worker.js or spark_worker.py): started once, asked for one
 * query at a time over stdin/stdout, its process tree's RSS sampled while each query runs.
 */
export class Worker {
  readonly startupMs: number;
  private readonly lines: AsyncIterator<string>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
    lines: AsyncIterator<string>,
    startupMs: number,
  ) {
    this.lines = lines;
    this.startupMs = startupMs;
  }

  /** Starts `command args` (under `taskset -c 0` when pinned) and waits for its ready line. */
  static async start(name: string, command: string, args: string[], pinned: boolean): Promise<Worker> {
    const started = performance.now();
    const child = pinned ? spawn('taskset', ['-c', '0', command, ...args]) : spawn(command, args);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done || !first.value.includes('"ready"')) {
      throw new Error(`the ${name} worker (${command} ${args.join(' ')}) did not start: ${first.value ?? ''}\n${stderr}`);
    }
    return new Worker(name, child, lines, performance.now() - started);
  }

  /** Runs one query; returns its result and the peak RSS (bytes) of the worker's process tree meanwhile. */
  async run(request: RunRequest): Promise<{ result: RunResult; peakRss: number }> {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    const { value: line, peak } = await peakRssWhile(this.child.pid!, this.lines.next());
    if (line.done) throw new Error(`the ${this.name} worker exited (code ${this.child.exitCode})`);
    const result = JSON.parse(line.value) as RunResult;
    if (result.error) throw new Error(`${this.name}: ${request.pipeline} ${request.batchRows}: ${result.error}`);
    return { result, peakRss: peak };
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}
