"""The PySpark side of `npm run bench -- latency` (bench/latency.ts): one Spark session, one streaming query per
request read on stdin (JSON: pipeline, rowsPerSecond, batches, checkpoint), one JSON answer per line on stdout:
each batch's progress timing and, from its foreachBatch, the event-to-sink delays of the batch's newest and oldest
event (stateless: the rows' timestamp; windowed: the emitted windows' end).

Usage: python3 spark_latency.py CORES   (master local[CORES], spark.sql.shuffle.partitions = CORES)

The pipelines are bench/pyspark's (spark_worker.py, whose session, pipelines and worker loop this reuses) on
Spark's real-time `rate` source with a 1 second processingTime trigger, as streamlab runs them in bench/latency.ts.
"""
import os
import sys
import time

from pyspark.sql import functions as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pyspark"))
from spark_worker import await_batches, pipeline, serve  # noqa: E402


def run(spark, request):
    source = spark.readStream.format("rate").option("rowsPerSecond", request["rowsPerSecond"]).load()
    df, column = pipeline(source, request["pipeline"])
    event = F.col("timestamp") if request["pipeline"] == "stateless" else F.col("window.end")
    wanted = request["batches"]
    checks = {}
    delays = {}

    def sink(batch, batch_id):
        if batch_id >= wanted:
            return
        row = batch.agg(
            F.count(F.lit(1)).alias("rows"),
            F.sum(column).alias("s"),
            F.unix_millis(F.min(event)).alias("oldest"),
            F.unix_millis(F.max(event)).alias("newest"),
        ).collect()[0]
        now = time.time() * 1000
        checks[str(batch_id)] = [row["rows"], float(row["s"] or 0)]
        if row["rows"] > 0:
            delays[str(batch_id)] = [now - row["newest"], now - row["oldest"]]

    query = (
        df.writeStream.outputMode("append")
        .option("checkpointLocation", request["checkpoint"])
        .trigger(processingTime="1 second")
        .foreachBatch(sink)
        .start()
    )
    return {"batches": await_batches(query, wanted, 0.05), "checks": checks, "delays": delays}


if __name__ == "__main__":
    serve(run, "streamlab-bench-latency")
