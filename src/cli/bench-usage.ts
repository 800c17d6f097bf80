import { DEFAULT_BATCH_SIZES, DEFAULT_FRESHNESS_SAMPLES, DEFAULT_REPEAT, DEFAULT_ROWS, DEFAULT_WORKLOAD } from '../benchmark/defaults.js';

export const COMPARE_USAGE = `Usage: streamlab bench compare <a/results.json> <b/results.json>

Prints, for every configuration (target, writer, batch size, guarantee) in both files, each metric's change from a
to b in %, marked * when it is larger than the runs' spread (the [min, max] over the repeats of a and of b do not
overlap; a configuration run once is never marked), and lists the configurations found in only one file.`;

export const REPORT_USAGE = `Usage: streamlab bench report <results.json> [--report DIR]

Draws report.html and the SVG charts again from a results.json, into its folder (or DIR): after a report that could
not be written, or to see older results with this version's report.`;

export const BENCH_USAGE = `Usage: streamlab bench [bench file] [options]
       streamlab bench compare a.json b.json
       streamlab bench report results.json [--report DIR]

Writes the same rows through each sink (as a job would), reads them back to verify every row arrived, and writes
results.json, report.html and SVG charts. A bench file (benches/<name>.yaml, or a path) gives the same settings plus
per-sink options and sweeps; see docs/bench-reference.md. Flags override the file.

Options:
  --sinks a,b,c            sinks to measure (those with a bench target); with a bench file: only these of its entries
  --workload NAME          tsbs-cpu | sensor | wide (default ${DEFAULT_WORKLOAD})
  --scale N                the workload's scale (tsbs-cpu: hosts; default: the workload's)
  --rows N                 measured rows per run, after one warm-up batch (default ${DEFAULT_ROWS})
  --batch-sizes N,N        rows per batch, each a configuration (default ${DEFAULT_BATCH_SIZES.join(',')})
  --repeat N               runs of each configuration, sinks rotated between repeats (default ${DEFAULT_REPEAT})
  --guarantee G            exactly-once (default: the sink in a StreamingQuery with its checkpoint) | none (the sink
                           driven directly) | both
  --no-baselines           do not time the servers' own bulk paths
  --freshness-samples N    read-back polls per run for freshness (default ${DEFAULT_FRESHNESS_SAMPLES}; 0: none)
  --report DIR             where results.json, report.html and the charts go (default out/bench-<YYYY-MM-DD-HHMMSS>/, UTC)
  --services               use the servers of \`npm run services -- up\` (.services/env, or $STREAMLAB_SERVICES_DIR/env):
                           their addresses override INFLUX_*, MYSQL_*, CASSANDRA_*, STARROCKS_* from the environment
                           (default when that file exists)
  --no-services            take the profiles' variables from the environment and .env only
  --server-pid PID         server process to sample for CPU and memory (repeatable, or PID,PID); default: the PIDs
                           \`npm run services\` recorded
  --keep                   keep the tables, measurements and folders written (default: dropped after the read-back)
  -h, --help               this help

Exit status: 0 every run verified; 1 a run lost or doubled rows or failed (after writing everything); 2 bad input or a
server that is not up; 130 stopped by Ctrl-C (results so far written, marked partial; Ctrl-C again exits at once).`;
