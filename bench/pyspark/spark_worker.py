"""The PySpark side of `npm run bench -- pyspark` (bench/pyspark.ts): one Spark session for the whole bench, one
streaming query per request read on stdin (JSON, the RunRequest of bench/pyspark/protocol.ts), one JSON answer per
line on stdout (RunResult: each batch's progress timing and the counting sink's rows and sum).

Usage: python3 spark_worker.py CORES   (master local[CORES], spark.sql.shuffle.partitions = CORES)

The pipelines are those of protocol.ts written in PySpark; the sink is a foreachBatch that computes count(*) and
the sum of one column in one Spark job per batch (the least a sink can do while still reading every row).
"""
import calendar
import json
import sys
import time
import traceback

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

KEYS = 1000
# Spark SQL of streamlab's triangle(value, 0, 30, 10) (what `streamlab export pyspark` writes; pmod is Python's %).
TRIANGLE = "-10 / 2 + 10 - 10 / (30 / 2) * abs(pmod(value + 0, 30) - 30 / 2)"


def session(cores, name):
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(name)
        # As many shuffle partitions as cores: the default 200 would give a 2-core machine 200 state-store tasks a batch.
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def pipeline(df, name):
    """The pipeline `name` of protocol.ts over the source `df`: (its result, the column the sink sums)."""
    if name == "stateless":
        return df.filter("value % 2 = 0").withColumn("tr", F.expr(TRIANGLE)), "tr"
    windowed = (
        df.withColumn("key", F.expr(f"value % {KEYS}"))
        .withWatermark("timestamp", "1 second")
        .groupBy(F.window("timestamp", "1 second"), "key")
        .agg(F.count(F.lit(1)).alias("n"), F.sum("value").alias("total"))
    )
    return windowed, "n"


def stream(spark, request):
    df = (
        spark.readStream.format("rate-micro-batch")
        .option("rowsPerBatch", request["batchRows"])
        .option("advanceMillisPerBatch", 1000)
        .load()
    )
    return pipeline(df, request["pipeline"])


def epoch_ms(iso):
    # Spark's progress timestamp, in UTC with milliseconds: 2026-12-01T04:10:00.123Z
    return calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(iso[20:23])


def await_batches(query, wanted, poll_seconds):
    """Waits until the query's batches 0..wanted-1 ran, stops it, and gives their timings (RunResult.batches)."""
    try:
        while True:
            done = [p for p in query.recentProgress if p["batchId"] < wanted]
            if len(done) >= wanted:
                break
            if query.exception() is not None:
                raise RuntimeError(str(query.exception()))
            if not query.isActive:
                raise RuntimeError("the query stopped before its batches ran")
            time.sleep(poll_seconds)
    finally:
        query.stop()
    return [
        {
            "batchId": p["batchId"],
            "numInputRows": p["numInputRows"],
            "startMs": epoch_ms(p["timestamp"]),
            "triggerMs": p["durationMs"]["triggerExecution"],
        }
        for p in sorted(done, key=lambda p: p["batchId"])
    ]


def run(spark, request):
    df, column = stream(spark, request)
    wanted = request["batches"]
    checks = {}

    def count_and_sum(batch, batch_id):
        if batch_id >= wanted:
            return
        row = batch.agg(F.count(F.lit(1)).alias("rows"), F.sum(column).alias("s")).collect()[0]
        checks[str(batch_id)] = [row["rows"], float(row["s"] or 0)]

    query = (
        df.writeStream.outputMode("append")
        .option("checkpointLocation", request["checkpoint"])
        .foreachBatch(count_and_sum)
        .start()
    )
    return {"batches": await_batches(query, wanted, 0.02), "checks": checks}


def serve(run, name):
    """The worker loop: a Spark session on `local[argv[1]]`, then one `run(spark, request)` per line of stdin."""
    spark = session(int(sys.argv[1]), name)
    spark.sparkContext.setLogLevel("ERROR")
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            result = run(spark, json.loads(line))
        except Exception:
            result = {"batches": [], "checks": {}, "error": traceback.format_exc()}
        print(json.dumps(result), flush=True)
    spark.stop()


if __name__ == "__main__":
    serve(run, "streamlab-bench-pyspark")
