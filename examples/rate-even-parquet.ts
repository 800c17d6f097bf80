/**
 * The course's first job: the rate source's even values with their triangle wave, written to Parquet files (one per
 * batch, named by batch id, so a replayed batch replaces its file). YAML: jobs/rate-triangle-parquet.yaml.
 */
import { readStream, sinks, sources } from 'streamlab';

const query = readStream(sources.rate({ rowsPerSecond: 10 }))
  .filter('value % 2 == 0')
  .withColumn('tr', 'triangle(value, 0, 30, 10)')
  .writeStream({
    checkpointLocation: '.checkpoints/rate-even-parquet',
    trigger: { processingTime: '1 second' },
    maxBatches: 3, // stop after three batches; without it the query runs until stopped
  })
  .to(sinks.parquet({ path: 'output/rate-even-parquet' }));
await query.awaitTermination();
console.log(`last batch: ${query.query.lastProgress?.batchId}, in output/rate-even-parquet/`);
