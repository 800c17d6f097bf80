"""Starts exported programs on PySpark, one Spark session for all: each must build its stream and run batches.

Usage: python3 start_programs.py <folder> <program.py>...
Run from <folder> (the project copy the programs' relative paths point into). For each program: import it, call
start(transform(read_stream(spark))) exactly as its main() does, wait until the query has completed a batch with
input rows, so that its sink has written (or until it ended, for availableNow), check it has no exception and read
rows, stop it. Prints one JSON line per program: {"program", "ok", "rows", "error"}.
"""
import importlib.util
import json
import os
import sys
import time

from pyspark.sql import SparkSession

BUDGET_SECONDS = 120


def run(spark, path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3].replace("-", "_"), path)
    program = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(program)
    for key, value in program.SPARK_CONF.items():
        spark.conf.set(key, value)
    query = program.start(program.transform(program.read_stream(spark)))
    deadline = time.time() + BUDGET_SECONDS
    rows = 0
    try:
        while time.time() < deadline and query.isActive and rows == 0:
            time.sleep(0.5)
            rows = sum(p["numInputRows"] for p in query.recentProgress)
        query.awaitTermination(1)
        rows = sum(p["numInputRows"] for p in query.recentProgress)
        error = query.exception()
    finally:
        query.stop()
    if error is not None:
        raise RuntimeError(str(error).split("\n")[0])
    if rows == 0:
        raise RuntimeError(f"no batch with input rows completed in {BUDGET_SECONDS} s")
    return rows


def main():
    os.chdir(sys.argv[1])
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("streamlab-export-check")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if os.environ.get("SPARK_JARS"):  # Spark's Kafka connector, for the programs with a kafka source or sink
        builder = builder.config("spark.jars", os.environ["SPARK_JARS"])
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    for path in sys.argv[2:]:
        try:
            print(json.dumps({"program": os.path.basename(path), "ok": True, "rows": run(spark, path)}), flush=True)
        except Exception as error:  # noqa: BLE001 - reported per program, the next one runs
            print(json.dumps({"program": os.path.basename(path), "ok": False, "error": str(error).split("\n")[0]}), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
