/**
 * The telemetry workshop: this machine's CPU and memory, sampled every second, into the InfluxDB measurement
 * sys_metrics, tagged by hostname and os (each point timed by its sample, so a replayed batch overwrites itself).
 * The connection comes from the `influxdb` profile (config/influxdb.yaml: INFLUX_URL, INFLUX_ORG, INFLUX_BUCKET,
 * INFLUX_TOKEN). Stops after three batches here; YAML: jobs/telemetry-influxdb.yaml.
 */
import { readStream, sinks, sources } from 'streamlab';

const measurement = process.env.MEASUREMENT ?? 'sys_metrics';
const query = readStream(sources.system({ interval: '1s' }))
  .writeStream({ checkpointLocation: `.checkpoints/telemetry-${measurement}`, trigger: { processingTime: '1 second' }, maxBatches: 3 })
  .to(
    sinks.influxdb({
      profile: 'influxdb',
      measurement,
      tags: ['hostname', 'os'],
      fields: ['cpu_percent', 'mem_used_mb', 'mem_percent'],
    }),
  );
let samples = 0;
query.query.progress$.subscribe((progress) => {
  samples += progress.sink.numOutputRows;
});
await query.awaitTermination();
console.log(`${samples} samples written to ${measurement}`);
