import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { cliPath, exited } from '../support/cli.js';

const tempDir = () => makeTempDir('streamlab-cli-overload-');

function writeJob(cwd: string, name: string, yaml: string): void {
  mkdirSync(join(cwd, 'jobs'), { recursive: true });
  writeFileSync(join(cwd, `jobs/${name}.yaml`), yaml);
}

describe('streamlab CLI under closed pipes and endless lines', () => {
  it('run --progress json | head: when the reader closes the pipe, it stops quietly (exit 0, no stack) and commits', async () => {
    const cwd = tempDir();
    writeJob(cwd, 'fast', 'name: fast\nsource: { type: rate-micro-batch, rowsPerBatch: 10 }\nsink: { type: memory }\n');
    const child = spawn(process.execPath, [cliPath, 'run', 'fast', '--progress', 'json', '--checkpoint', 'cp'], { cwd });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let firstLine = '';
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        firstLine += chunk.toString();
        if (!firstLine.includes('\n')) return;
        child.stdout.off('data', onData);
        child.stdout.destroy(); // as `head -n 1` does once it has its line
        resolve();
      };
      child.stdout.on('data', onData);
    });
    assert.equal(JSON.parse(firstLine.split('\n')[0]).batchId, 0);
    assert.equal(await exited(child), 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Error|\n\s+at /);
    assert.match(stderr, /stdout was closed by its reader: finishing the batch in flight, then stopping/);
    assert.equal(existsSync(join(cwd, 'cp/.lock')), false, 'the checkpoint lock is released');
  });

  it('a socket line longer than maxLineBytes: exit 1 naming host:port and the limit, no stack, lock released', async () => {
    const cwd = tempDir();
    let accept!: (s: Socket) => void;
    const connection = new Promise<Socket>((r) => (accept = r));
    const server = createServer(accept);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    writeJob(
      cwd,
      'endless',
      `name: endless\nsource: { type: socket, host: 127.0.0.1, port: ${port}, maxLineBytes: 4096 }\nsink: { type: memory }\n`,
    );
    const child = spawn(process.execPath, [cliPath, 'run', 'endless', '--checkpoint', 'cp'], { cwd });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const peer = await connection;
    peer.on('error', () => {});
    peer.write('a first line\n');
    const chunk = 'x'.repeat(1024);
    for (let i = 0; i < 64; i++) peer.write(chunk); // 64 KiB and no newline
    const code = await exited(child);
    peer.destroy();
    server.close();
    assert.equal(code, 1, stderr);
    assert.match(
      stderr,
      new RegExp(
        `error: socket source 127\\.0\\.0\\.1:${port}: a line is longer than maxLineBytes \\(4096 bytes\\); the peer may not be sending newlines\\. Raise source\\.maxLineBytes, or set source\\.onLongLine: drop to skip such lines\\.`,
      ),
    );
    assert.match(stderr, /batch 0: 1 rows/, 'the line before the long one was written first');
    assert.doesNotMatch(stderr, /RangeError|\n\s+at /);
    assert.equal(existsSync(join(cwd, 'cp/.lock')), false, 'the checkpoint lock is released');
  });
});
