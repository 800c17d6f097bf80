import type { ComponentConfig } from '../../config/load-job.js';
import type { Translation } from './context.js';
import { SPARK_KAFKA_PACKAGE } from './source-kafka.js';
import { comment, py, pyValue } from './python.js';
import { refuse } from './refusal.js';
import type { SinkCode } from './sinks.js';
import { QUERY_ID_FUNCTION } from './sink-common.js';

/**
 * The kafka sink. atLeastOnce is Spark's own Kafka sink (format("kafka")), which is at-least-once too. exactlyOnce,
 * streamlab's default, has no Spark connector: foreachBatch with confluent-kafka, one transaction per batch holding
 * the rows and a marker (query id, batch id) in the commits topic, as streamlab writes them (src/sinks/kafka/): a
 * replayed batch whose marker is committed is skipped.
 */
export function kafkaSink(sink: ComponentConfig, o: Record<string, unknown>, t: Translation): SinkCode {
  if (o.sasl !== undefined) refuse(sink, 'the kafka sink with sasl has no translation yet (set the sasl.* settings by hand)');
  const names = t.sinkSchema.map((c) => c.name);
  if (names.includes('headers')) refuse(sink, 'the kafka sink with a headers column has no translation yet');
  t.envVars.add('KAFKA_BOOTSTRAP_SERVERS');
  const servers = Array.isArray(o.bootstrapServers) ? o.bootstrapServers.join(',') : String(o.bootstrapServers);
  const bootstrap = `os.environ.get("KAFKA_BOOTSTRAP_SERVERS", ${py(servers)})`;
  const origin = t.origin(sink, '        ');
  if (o.deliveryGuarantee === 'atLeastOnce') {
    t.sparkPackages.add(SPARK_KAFKA_PACKAGE);
    const writer = [
      ...origin,
      ...comment("Spark's Kafka sink: at-least-once, as deliveryGuarantee: atLeastOnce is", '        '),
      '        .format("kafka")',
      `        .option("kafka.bootstrap.servers", ${bootstrap})`,
      ...(o.topic ? [`        .option("topic", ${py(o.topic as string)})`] : []),
    ];
    return { writer, functions: [] };
  }
  t.packages.add('confluent-kafka');
  const functions = exactlyOnce(o, names, bootstrap);
  return { writer: [...origin, '        .foreachBatch(write_batch)'], functions };
}

function exactlyOnce(o: Record<string, unknown>, names: string[], bootstrap: string): string[] {
  const topic = o.topic ? py(o.topic as string) : 'row["topic"]';
  return [
    'import json  # noqa: E402',
    'import time  # noqa: E402',
    '',
    'from confluent_kafka import Consumer, Producer, TopicPartition  # noqa: E402  (pip install confluent-kafka)',
    'from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402',
    '',
    '# The profile config/kafka.yaml, from the same environment variable',
    `KAFKA = {"bootstrap.servers": ${bootstrap}}`,
    `COMMITS_TOPIC = ${py(o.commitsTopic as string)}  # one marker per batch, key = query id, in the batch's transaction`,
    `TRANSACTIONAL_ID = ${pyValue(o.transactionalId ?? null)}  # None: streamlab-<query id>`,
    `COLUMNS = ${pyValue(names)}`,
    '_producer = None',
    '_committed = {}  # batch id -> rows, of the markers committed before this process started',
    '',
    '',
    ...QUERY_ID_FUNCTION,
    '',
    '',
    'def read_markers(qid):',
    '    """The committed markers of this query (read_committed, from the start of the commits topic to its end)."""',
    '    consumer = Consumer(dict(KAFKA, **{"group.id": f"streamlab-markers-{qid}", "isolation.level": "read_committed",',
    '                                     "enable.auto.commit": False}))',
    '    try:',
    '        low, high = consumer.get_watermark_offsets(TopicPartition(COMMITS_TOPIC, 0), timeout=30)',
    '        consumer.assign([TopicPartition(COMMITS_TOPIC, 0, low)])',
    '        deadline = time.time() + 60',
    '        while low < high and consumer.position([TopicPartition(COMMITS_TOPIC, 0)])[0].offset < high:',
    '            if time.time() > deadline:',
    '                raise RuntimeError(f"the commits topic {COMMITS_TOPIC} stays blocked below offset {high}")',
    '            for message in consumer.consume(500, timeout=0.5):',
    '                if message.error() is None and message.key() == qid.encode():',
    '                    marker = json.loads(message.value())',
    '                    _committed[marker["batchId"]] = marker["rows"]',
    '    finally:',
    '        consumer.close()',
    '',
    '',
    'def producer():',
    '    """The query\'s transactional producer: taking its id over fences an older process and ends its transaction."""',
    '    global _producer',
    '    if _producer is None:',
    '        qid = query_id()',
    '        admin = AdminClient(KAFKA)',
    '        if COMMITS_TOPIC not in admin.list_topics(timeout=30).topics:',
    '            topic = NewTopic(COMMITS_TOPIC, num_partitions=1, config={"cleanup.policy": "compact"})',
    '            for future in admin.create_topics([topic]).values():',
    '                try:',
    '                    future.result()',
    '                except Exception as error:  # created by another writer in between',
    '                    if "TOPIC_ALREADY_EXISTS" not in str(error):',
    '                        raise',
    '        _producer = Producer(dict(KAFKA, **{"transactional.id": TRANSACTIONAL_ID or f"streamlab-{qid}"}))',
    '        _producer.init_transactions(60)',
    '        read_markers(qid)',
    '    return _producer',
    '',
    '',
    'def write_batch(batch_df, batch_id):',
    '    """foreachBatch: the rows and the batch\'s marker in one transaction; a batch whose marker is committed is skipped."""',
    '    p = producer()',
    '    if _committed and batch_id <= max(_committed):',
    '        return  # a replay: this batch is written already',
    '    rows = [row.asDict() for row in batch_df.select(*COLUMNS).collect()]',
    '    topics = set()',
    '    p.begin_transaction()',
    '    try:',
    '        for row in rows:',
    `            topic = ${topic}`,
    '            topics.add(topic)',
    '            record = {"value": None if row["value"] is None else row["value"].encode()}',
    '            if row.get("key") is not None:',
    '                record["key"] = row["key"].encode()',
    '            if row.get("partition") is not None:',
    '                record["partition"] = row["partition"]',
    '            while True:',
    '                try:',
    '                    p.produce(topic, **record)',
    '                    break',
    '                except BufferError:  # the local queue is full: let it send',
    '                    p.poll(0.1)',
    '        marker = {"queryId": query_id(), "batchId": batch_id, "rows": len(rows), "topics": sorted(topics)}',
    '        p.produce(COMMITS_TOPIC, key=query_id().encode(), value=json.dumps(marker).encode(), partition=0)',
    '        p.commit_transaction(60)',
    '    except BaseException:',
    '        p.abort_transaction(60)',
    '        raise',
    '    _committed[batch_id] = len(rows)',
  ];
}
