import { readStream, sources } from 'streamlab';

const query = readStream(sources.rate({ rowsPerSecond: 10 }))
  .filter('value % 2 == 0')
  .withColumn('tr', 'triangle(value, 0, 30, 10)')
  .writeStream({
    checkpointLocation: '.checkpoints/demo',
    trigger: { processingTime: '1 second' },
    maxBatches: 3, // stop after three batches; without it the query runs until stopped
  })
  .foreachBatch((rows, batchId) => {
    console.log(`batch ${batchId}:`, rows.map((row) => `${row.value}:${row.tr}`).join(' '));
  });
await query.awaitTermination();
