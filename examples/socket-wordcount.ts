/**
 * The course's socket word count: lines from a TCP socket (Spark's socket source; `nc -lk 9999` in the course),
 * split into words, counted since the start; complete mode writes the whole count table each batch. To run on its
 * own, this example serves the lines itself on a free port; point `sources.socket` at `nc -lk 9999` to type them.
 * YAML: jobs/socket-wordcount-console.yaml.
 */
import { createServer, type Socket } from 'node:net';
import { readStream, sources } from 'streamlab';

const lines = ['the quick brown fox', 'jumps over the lazy dog', 'the end'];
// Like `nc -lk`, the lines are typed once: a reconnecting reader does not get them again.
let served = false;
const connections = new Set<Socket>();
const server = createServer((socket) => {
  if (!served) socket.write(`${lines.join('\n')}\n`);
  served = true;
  connections.add(socket);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

const words = lines.join(' ').split(' ').length;
let printed = false;
const query = readStream(sources.socket({ host: '127.0.0.1', port }))
  .explode("split(value, ' ')", 'word', [])
  .filter("word != ''")
  .groupBy('word')
  .count()
  .writeStream({ checkpointLocation: '.checkpoints/socket-wordcount', outputMode: 'complete', trigger: { processingTime: '200ms' } })
  .foreachBatch((rows) => {
    // The counts so far; stop once every word sent has been counted.
    if (printed || rows.reduce((sum, row) => sum + row.count, 0) < words) return;
    printed = true;
    for (const row of [...rows].sort((a, b) => String(a.word).localeCompare(String(b.word)))) console.log(`${row.word} ${row.count}`);
    query.stop();
  });
await query.awaitTermination();
server.close();
for (const socket of connections) socket.destroy();

