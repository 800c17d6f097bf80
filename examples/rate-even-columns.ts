import { isValid, readStream, sources } from 'streamlab';

// The same query as rate-even-triangle.ts, its batches read as columns: no row object is built on the way.
const query = readStream(sources.rate({ rowsPerSecond: 10 }))
  .filter('value % 2 == 0')
  .triangle({ column: 'value', as: 'tr' }) // triangle(value, 0, 30, 10)
  .writeStream({
    checkpointLocation: '.checkpoints/demo-columns',
    trigger: { processingTime: '1 second' },
    maxBatches: 3,
  })
  .foreachBatch(
    (columns, batchId) => {
      const value = columns.vector('value'); // typed: a number vector (a Float64Array and a validity bitmap)
      const tr = columns.vector('tr');
      const pairs: string[] = [];
      for (let k = 0; k < columns.length; k++) {
        const i = columns.position(k); // row k's place in every vector (a filter keeps a selection, moves nothing)
        if (isValid(value.valid, i) && isValid(tr.valid, i)) pairs.push(`${value.values[i]}:${tr.values[i]}`);
      }
      console.log(`batch ${batchId}:`, pairs.join(' '));
    },
    { columns: true },
  );
await query.awaitTermination();
