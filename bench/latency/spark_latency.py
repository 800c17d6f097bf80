"""The PySpark side of `npm run bench -- latency` (bench/latency.ts): one Spark session, one streaming query per
request read on stdin (JSON: pipeline, rowsPerSecond, batches, checkpoint), one JSON answer per line on stdout:
each batch's progress timing and, from its foreachBatch, the event-to-sink delays of the batch's newest and oldest
event (stateless: the rows' timestamp; windowed: the emitted windows' end).

Usage: python3 spark_latency.py CORES   (master local[CORES], spark.sql.shuffle.partitions = CORES)

The pipelines are bench/pyspark's (spark_worker.py) on Spark's real-time `rate` source with a 1 second
processingTime trigger, as streamlab runs them in bench/latency.ts.
"""
import calendar
import json
import sys
import time
import traceback

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

KEYS = 1000
# Spark SQL of streamlab's triangle(value, 0, 30, 10), as spark_worker.py writes it.
TRIANGLE = "-10 / 2 + 10 - 10 / (30 / 2) * abs(pmod(value + 0, 30) - 30 / 2)"


def session(cores):
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("streamlab-bench-latency")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def stream(spark, request):
    df = spark.readStream.format("rate").option("rowsPerSecond", request["rowsPerSecond"]).load()
    if request["pipeline"] == "stateless":
        out = df.filter("value % 2 = 0").withColumn("tr", F.expr(TRIANGLE))
        return out, "tr", F.col("timestamp")
    windowed = (
        df.withColumn("key", F.expr(f"value % {KEYS}"))
        .withWatermark("timestamp", "1 second")
        .groupBy(F.window("timestamp", "1 second"), "key")
        .agg(F.count(F.lit(1)).alias("n"), F.sum("value").alias("total"))
    )
    return windowed, "n", F.col("window.end")


def epoch_ms(iso):
    return calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(iso[20:23])


def run(spark, request):
    df, column, event = stream(spark, request)
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
    try:
        while True:
            done = [p for p in query.recentProgress if p["batchId"] < wanted]
            if len(done) >= wanted:
                break
            if query.exception() is not None:
                raise RuntimeError(str(query.exception()))
            if not query.isActive:
                raise RuntimeError("the query stopped before its batches ran")
            time.sleep(0.05)
    finally:
        query.stop()
    batches = [
        {
            "batchId": p["batchId"],
            "numInputRows": p["numInputRows"],
            "startMs": epoch_ms(p["timestamp"]),
            "triggerMs": p["durationMs"]["triggerExecution"],
        }
        for p in sorted(done, key=lambda p: p["batchId"])
    ]
    return {"batches": batches, "checks": checks, "delays": delays}


def main():
    spark = session(int(sys.argv[1]))
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
    main()
