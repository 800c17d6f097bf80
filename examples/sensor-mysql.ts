/**
 * The StarRocks demo's sensor readings into a MySQL (or MariaDB) table, exactly once: each batch's rows and its batch
 * id are written in one transaction, so a replayed batch is not written twice. The connection comes from the `mysql`
 * profile (config/mysql.yaml: MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE). Bounded here
 * (`rows`: 30 readings of 3 sensors, every one available at once) so that it ends; YAML: jobs/sensor-mysql.yaml.
 */
import { readStream, sinks, sources } from 'streamlab';

const table = process.env.SENSOR_TABLE ?? 'sensor_data';
const query = readStream(sources.sensor({ sensors: 3, rows: 30 }))
  .writeStream({ checkpointLocation: `.checkpoints/sensor-mysql-${table}`, trigger: { availableNow: true }, maxRowsPerBatch: 12 })
  .to(
    sinks.mysql({
      profile: 'mysql',
      table,
      columns: { sensor_id: 'sensor_id', ts: 'timestamp', temperature: 'temperature', humidity: 'humidity' },
      create: { primaryKey: ['sensor_id', 'ts'] },
    }),
  );
await query.awaitTermination();
console.log(`batches 0..${query.query.lastProgress?.batchId} written to ${table}`);
