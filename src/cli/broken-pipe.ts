/**
 * `streamlab run job --progress json | head`: once the reader of stdout (or stderr) is gone, every write to it fails
 * with EPIPE, which Node raises as an unhandled 'error' event, a crash with a stack trace. A closed output is treated
 * like Ctrl-C instead: `onClose` runs once (the run command stops the query, so the batch in flight still commits),
 * and later writes to that stream are skipped. Other commands just exit 0, as a Unix filter does.
 */
const closed = new Set<NodeJS.WriteStream>();
const exitQuietly = () => process.exit(0);
let onClose: (stream: 'stdout' | 'stderr') => void = exitQuietly;

/** Installed once by the CLI entry point. */
export function handleBrokenPipes(): void {
  for (const [name, stream] of [
    ['stdout', process.stdout],
    ['stderr', process.stderr],
  ] as const) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      if (closed.has(stream)) return;
      closed.add(stream);
      onClose(name);
    });
  }
}

/** What to do when an output closes, until the returned function restores the default (exit 0). */
export function whenOutputCloses(handler: (stream: 'stdout' | 'stderr') => void): () => void {
  onClose = handler;
  return () => {
    onClose = exitQuietly;
  };
}

/** Writes unless the stream's reader has gone. */
export function writeTo(stream: NodeJS.WriteStream, text: string): void {
  if (!closed.has(stream)) stream.write(text);
}
