import { Worker } from 'node:worker_threads';
import type { SliceJob, SliceReply, StageWorkerData, WorkerHello } from './messages.js';
import type { SliceSpec } from './slice-spec.js';

/** The thrown error when a stage worker dies or cannot start: the batch fails (it is not committed, so it runs again). */
export class StageWorkerError extends Error {}

interface Pending {
  resolve: (reply: SliceReply) => void;
  reject: (error: Error) => void;
}

/**
 * One worker thread of a stage, running one slice at a time (the engine runs one batch at a time). It stays up for the
 * query; if it dies (an uncaught error, an exit, running out of memory) the slice it was running fails with a message
 * naming the stage, and so does every later one: a stage never quietly loses a slice.
 */
class StageWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private failure: StageWorkerError | undefined;
  private stopping = false;
  readonly ready: Promise<void>;

  constructor(
    private readonly name: string,
    specs: SliceSpec[],
  ) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { specs } satisfies StageWorkerData });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (hello: WorkerHello) => {
        if (hello.ready) resolve();
        else reject(this.fail(`could not build its operators: ${hello.error}`));
        this.worker.on('message', (reply: SliceReply) => this.settle(reply));
      });
      this.worker.on('error', (error) => reject(this.fail(`failed: ${error.stack ?? error.message}`)));
      this.worker.on('exit', (code) => {
        if (!this.stopping) reject(this.fail(`exited (code ${code})`));
      });
    });
    this.ready.catch(() => {}); // observed by run(); a failure before the first batch must not be an unhandled rejection
  }

  /** Posts the slice at once (call it once `ready` resolved: the caller then computes its own slice meanwhile). */
  run(job: SliceJob, transfer: ArrayBuffer[]): Promise<SliceReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      this.worker.postMessage(job, transfer);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }

  private settle(reply: SliceReply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    pending?.resolve(reply);
  }

  private fail(what: string): StageWorkerError {
    this.failure ??= new StageWorkerError(`${this.name} ${what}`);
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
    return this.failure;
  }
}

/** The worker threads of one stage, started on first use and stopped with the query. */
export class StagePool {
  private workers: StageWorker[] | undefined;
  private nextId = 0;

  constructor(
    private readonly size: number,
    private readonly specs: SliceSpec[],
    private readonly stageName: string,
  ) {}

  get workerCount(): number {
    return this.size;
  }

  /** Starts the workers the first time; resolves once every one has built its operators (rejects if one cannot). */
  async ready(): Promise<void> {
    this.workers ??= Array.from(
      { length: this.size },
      (_, i) => new StageWorker(`parallel stage [${this.stageName}], worker thread ${i + 1} of ${this.size},`, this.specs),
    );
    await Promise.all(this.workers.map((w) => w.ready));
  }

  /**
   * Posts a slice to worker `index` right away (after `ready()`), resolving with its reply. Posting synchronously
   * matters: the caller runs its own slice next, synchronously, and a post left to a later tick would wait for it.
   */
  run(index: number, job: Omit<SliceJob, 'id'>, transfer: ArrayBuffer[]): Promise<SliceReply> {
    if (!this.workers) return Promise.reject(new Error('StagePool.run before ready()'));
    return this.workers[index].run({ ...job, id: this.nextId++ }, transfer);
  }

  async stop(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(workers.map((w) => w.stop()));
  }
}
