/**
 * Ports: each server gets a non-default port (so a system MariaDB on 3306 or a Docker Kafka on 9092 never clashes),
 * overridable per port with an env var, and checked before start so a clash is reported by name, not as a crash.
 */
import { createServer } from 'node:net';
import { SetupError } from './errors.js';

export interface PortSpec {
  /** Key used by the server's own code, e.g. `http`, `rpc`. The first port of a server is its address. */
  key: string;
  /** Env var that overrides it, e.g. `STREAMLAB_MARIADB_PORT`. */
  env: string;
  default: number;
}

export function resolvePorts(specs: readonly PortSpec[]): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const spec of specs) {
    const raw = process.env[spec.env];
    const port = raw === undefined || raw === '' ? spec.default : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new SetupError(`${spec.env}=${raw} is not a TCP port`, `use an integer from 1024 to 65535`);
    }
    ports[spec.key] = port;
  }
  return ports;
}

/** True when nothing listens on 127.0.0.1:port (binding fails with EADDRINUSE otherwise, also for 0.0.0.0). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Fails with the port, the server and the env var to change when a port is taken by something not ours. */
export async function assertPortsFree(name: string, specs: readonly PortSpec[], ports: Record<string, number>) {
  for (const spec of specs) {
    const port = ports[spec.key];
    if (!(await portIsFree(port))) {
      throw new SetupError(
        `${name}: port ${port} (${spec.key}) on 127.0.0.1 is already in use by a process these scripts did not start`,
        `stop that process, or choose another port: ${spec.env}=${port + 10} npm run services -- up ${name}`,
      );
    }
  }
}
