import type { PushBuffer } from './push-buffer.js';
import type { Offset, Row } from './row.js';
import type { SourceContext } from './source.js';

/**
 * The offset half of a push source: asking for the latest offset cuts the waiting rows into the next batch (at most
 * maxRowsPerBatch), a batch reads its cut, and a commit frees it. Subclasses produce rows into `this.buffer` and say
 * how to stop producing, so that stopping the query can write what is still buffered in final batches (`drain`).
 */
export abstract class PushSource {
  readonly replayable = false;
  private maxRowsPerBatch = Infinity;

  protected constructor(protected readonly buffer: PushBuffer) {}

  /** Subclasses call this from `open()`: batches honour the query's maxRowsPerBatch. */
  protected limitBatches(context: SourceContext): void {
    this.maxRowsPerBatch = context.maxRowsPerBatch ?? Infinity;
  }

  /** Stop taking in rows (close the connection, stop sampling); the buffer keeps what it holds. */
  protected abstract stopProducing(): Promise<void> | void;

  latestOffset(): Offset | null {
    return this.buffer.cut(this.maxRowsPerBatch);
  }

  getBatch(start: Offset | null, end: Offset): Row[] {
    return this.buffer.rowsOf((start as number | null) ?? 0, end as number);
  }

  commit(end: Offset): void {
    this.buffer.commit(end as number);
  }

  /** availableNow: the rows accepted by now, in batches of at most maxRowsPerBatch, then nothing more. */
  prepareForTriggerAvailableNow(): void {
    this.buffer.closeAtLatest();
  }

  /** The query is stopping: take in nothing more; the engine then runs batches until the buffer is empty. */
  async drain(): Promise<void> {
    await this.stopProducing();
    this.buffer.closeAtLatest();
  }

  /** The query ended (or failed): stop producing; what is still buffered is not read any more. */
  async stop(): Promise<void> {
    await this.stopProducing();
  }

  metrics(): Record<string, number> {
    return { bufferedRows: this.buffer.size, droppedRows: this.buffer.droppedRows };
  }
}
