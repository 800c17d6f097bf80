import { type GeneratorPace, GeneratorSource } from '../../core/generator-source.js';
import type { Offset, Row } from '../../core/row.js';
import type { Source, SourceContext } from '../../core/source.js';
import { type DevicesConfig, DEVICES_SCHEMA, devicesRows } from './messages.js';

/**
 * A GeneratorSource whose event times start at a moment known only when the query opens: the `start` option when
 * given, else (paced modes) the time the query first started, which GeneratorSource keeps in the checkpoint. A
 * restart thus gives every message the timestamp of its first run, and a live run's messages carry times near now.
 */
export class DevicesSource implements Source {
  readonly replayable = true;
  readonly schema = DEVICES_SCHEMA;
  private readonly inner: GeneratorSource;
  private rows: ((from: number, to: number) => Row[]) | undefined;

  constructor(
    readonly description: string,
    private readonly config: DevicesConfig,
    pace: GeneratorPace,
    private readonly startMs: number | undefined,
    private readonly boundedStartMs: number,
  ) {
    this.inner = new GeneratorSource(description, DEVICES_SCHEMA, (from, to) => this.rows!(from, to), pace);
  }

  async open(context: SourceContext) {
    const opened = await this.inner.open(context);
    const stored = (opened?.metadata as { startTimeMs?: number } | undefined)?.startTimeMs;
    this.rows = devicesRows(this.config, this.startMs ?? stored ?? this.boundedStartMs);
    return opened;
  }

  latestOffset(start: Offset | null) {
    return this.inner.latestOffset(start);
  }

  getBatch(start: Offset | null, end: Offset) {
    return this.inner.getBatch(start, end);
  }

  prepareForTriggerAvailableNow() {
    this.inner.prepareForTriggerAvailableNow();
  }

  backlog(committed: Offset | null) {
    return this.inner.backlog(committed);
  }

  async stop() {}
}
