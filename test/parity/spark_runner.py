"""Runs the exported programs of the parity scenarios on real PySpark, all in one Spark session.

Usage: python3 spark_runner.py manifest.json
Scenarios run PARITY_SPARK_PARALLEL (default 4) at a time, as concurrent queries of the one session: a streaming
query spends much of a batch waiting on its own checkpoint writes. The manifest lists {"name", "dir"}: each dir holds program.py (written by `streamlab export pyspark`) and the input
it reads. For each scenario this imports the program, builds the stream with its own read_stream() and transform(),
and starts it with its OUTPUT_MODE, trigger availableNow and a foreachBatch that records every batch's rows as
Spark's JSON (timestamps in UTC). The watermark of each batch comes from the query's progress. Results go to
<dir>/spark.json; a failure is recorded as {"error": ...} for that scenario and the next one runs.
"""
import importlib.util
import threading
from concurrent.futures import ThreadPoolExecutor
import json
import os
import sys
import time
import traceback

from pyspark.sql import SparkSession


def session():
    return (
        SparkSession.builder.master("local[4]")
        .appName("streamlab-parity")
        # One partition: the same answers, without 200 state-store partitions per stateful operator per batch.
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.jsonGenerator.ignoreNullFields", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Tiny batches: interpreting is faster than compiling Java for every plan (the answers are the same).
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .getOrCreate()
    )


def load_program(name, path):
    spec = importlib.util.spec_from_file_location(f"parity_{name.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The programs resolve their relative paths against the working directory when they are loaded and built: one at a
# time, in the scenario's folder. Their queries then run side by side.
BUILD_LOCK = threading.Lock()


def run_scenario(spark, name, folder):
    batches = {}

    def record(batch_df, batch_id):
        batches[batch_id] = [json.loads(line) for line in batch_df.toJSON().collect()]

    with BUILD_LOCK:
        os.chdir(folder)
        program = load_program(name, os.path.join(folder, "program.py"))
        for key, value in program.SPARK_CONF.items():  # the program's own semantics settings, as its main() sets them
            spark.conf.set(key, value)
        df = program.transform(program.read_stream(spark))
        query = (
            df.writeStream.outputMode(program.OUTPUT_MODE)
            .trigger(availableNow=True)
            .option("checkpointLocation", os.path.join(folder, "spark-checkpoint"))
            .foreachBatch(record)
            .start()
        )
    query.awaitTermination()
    out = []
    for progress in query.recentProgress:
        batch_id = progress["batchId"]
        event_time = progress.get("eventTime") or {}
        out.append(
            {
                "batchId": batch_id,
                "numInputRows": progress["numInputRows"],
                "watermark": event_time.get("watermark"),
                "rows": batches.get(batch_id, []),
            }
        )
    return {"columns": df.columns, "batches": out}


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    spark = session()
    spark.sparkContext.setLogLevel("ERROR")
    parallel = int(os.environ.get("PARITY_SPARK_PARALLEL", "4"))
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(lambda scenario: run_and_save(spark, scenario), manifest))
    spark.stop()


def run_and_save(spark, scenario):
    started = time.time()
    try:
        result = run_scenario(spark, scenario["name"], scenario["dir"])
    except Exception as error:  # noqa: BLE001 - recorded for the report, the other scenarios run
        result = {"error": str(error).split("\n")[0], "trace": traceback.format_exc(limit=3)}
    result["seconds"] = round(time.time() - started, 2)
    with open(os.path.join(scenario["dir"], "spark.json"), "w") as f:
        json.dump(result, f)
    print(f"spark: {scenario['name']} {result['seconds']}s", flush=True)


if __name__ == "__main__":
    main()
