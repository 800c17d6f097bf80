"""Runs exported programs to their end on PySpark (availableNow), one Spark session for all, then each once more
after removing its last batch's commit from Spark's checkpoint: Spark then runs that batch again, with the same batch
id and the same rows, into the sink, which must write nothing twice (the exactly-once check).

Usage: python3 run_programs.py <folder> <program.py>...
Run from <folder>. SPARK_JARS: comma-separated jars for spark.jars (Spark's Kafka connector). Prints one JSON line per
program: {"program", "ok", "batches", "rows", "replayed", "error"}.
"""
import glob
import importlib.util
import json
import os
import re
import sys

from pyspark.sql import SparkSession

BUDGET_SECONDS = 300


def describe(error):
    """The exception's first line, and the last lines of a Python traceback inside it (foreachBatch's errors)."""
    lines = [line.strip() for line in str(error).split("\n") if line.strip()]
    raised = [line for line in lines[1:] if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return " | ".join(lines[:1] + raised[-3:])


def run_query(spark, program):
    """start(transform(read_stream(spark))) as main() does, to its end; the progress of each batch it ran."""
    query = program.start(program.transform(program.read_stream(spark)))
    try:
        if not query.awaitTermination(BUDGET_SECONDS):
            raise RuntimeError(f"did not end within {BUDGET_SECONDS} s (is its trigger availableNow?)")
        error = query.exception()
        if error is not None:
            raise RuntimeError(describe(error))
        return query.recentProgress
    finally:
        query.stop()


def run(spark, path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3].replace("-", "_"), path)
    program = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(program)
    for key, value in program.SPARK_CONF.items():
        spark.conf.set(key, value)
    progress = run_query(spark, program)
    batches = sorted({p["batchId"] for p in progress})
    rows = sum(p["numInputRows"] for p in progress)
    commits = glob.glob(os.path.join(program.CHECKPOINT_LOCATION, "commits", "[0-9]*"))
    last = max(int(os.path.basename(c)) for c in commits)
    # the commit and Hadoop's checksum of it: a checksum left behind makes Spark's next commit of the batch fail
    for name in (str(last), f".{last}.crc"):
        path = os.path.join(program.CHECKPOINT_LOCATION, "commits", name)
        if os.path.exists(path):
            os.remove(path)
    replay = run_query(spark, program)
    # a sink that finds the batch written returns before reading it: Spark then counts 0 input rows for it
    replayed = [p["batchId"] for p in replay]
    seen = [[p["batchId"], p["numInputRows"]] for p in progress + replay]
    return {"batches": batches, "rows": rows, "replayed": replayed, "progress": seen}


def main():
    os.chdir(sys.argv[1])
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("streamlab-export-run")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if os.environ.get("SPARK_JARS"):
        builder = builder.config("spark.jars", os.environ["SPARK_JARS"])
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    for path in sys.argv[2:]:
        name = os.path.basename(path)
        try:
            print(json.dumps({"program": name, "ok": True, **run(spark, path)}), flush=True)
        except Exception as error:  # noqa: BLE001 - reported per program, the next one runs
            print(json.dumps({"program": name, "ok": False, "error": describe(error)}), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
