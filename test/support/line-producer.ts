/**
 * A producer faster than any sink: a child process that writes numbered 40-byte lines (`line 000…0042`) to every
 * connection on a loopback port as fast as the socket takes them. Used by the overload benchmark and the chaos suite.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const PRODUCER = `
const { createServer } = require('node:net');
const total = Number(process.env.LINES || Infinity);
let n = 0;
const chunk = () => { let s = ''; for (let i = 0; i < 1000 && n < total; i++) s += 'line ' + String(n++).padStart(34, '0') + '\\n'; return s; };
createServer((s) => {
  s.on('error', () => {});
  const pump = () => { while (n < total) if (!s.write(chunk())) return s.once('drain', pump); s.end(); };
  pump();
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

/** Starts the producer; with `lines`, it writes lines 0..lines-1 in all, then closes each connection. */
export async function startLineProducer(lines?: number): Promise<{ child: ChildProcess; port: number }> {
  const env = { ...process.env, ...(lines !== undefined ? { LINES: String(lines) } : {}) };
  const child = spawn(process.execPath, ['-e', PRODUCER], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
  return { child, port };
}

/** The number in a producer's line. */
export const lineNumber = (line: string): number => Number(line.slice(5));
