/**
 * Spark's windowed word count with late data: words counted in 10-minute windows sliding every 5, with a watermark
 * 10 minutes behind the latest event time; update mode writes the windows whose count changed in each batch. The
 * rows given to foreachBatch are typed: `window`, `word` and `count`, from the source's schema through groupBy.
 * YAML: jobs/late-data.yaml.
 */
import { count, readStream, sources, window } from 'streamlab';

const query = readStream(sources.file({ path: 'data/late-data', schema: { timestamp: 'timestamp', word: 'string' }, maxFilesPerBatch: 1 }))
  .withWatermark('timestamp', '10 minutes')
  .groupBy(window('timestamp', '10 minutes', '5 minutes'), 'word')
  .agg({ count: count() })
  .writeStream({ checkpointLocation: '.checkpoints/windowed-wordcount', outputMode: 'update', trigger: { availableNow: true } })
  .foreachBatch((rows, batchId) => {
    for (const row of rows) {
      const window = `${row.window.start.toISOString().slice(11, 16)}-${row.window.end.toISOString().slice(11, 16)}`;
      console.log(`batch ${batchId}: ${window} ${row.word} ${row.count}`);
    }
  });
await query.awaitTermination();
