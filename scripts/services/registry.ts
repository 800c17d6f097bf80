/**
 * Every server `npm run services` knows, in start order: light ones first, so a quick `up` of everything shows
 * the cheap failures (a port clash, a missing package) before Cassandra's JVM warms up.
 */
import { cassandra } from './cassandra.js';
import { SetupError } from './errors.js';
import { influxdb1 } from './influxdb1.js';
import { influxdb18 } from './influxdb18.js';
import { kafka } from './kafka.js';
import { mariadb } from './mariadb.js';
import { postgres } from './postgres.js';
import type { Server } from './server.js';
import { starrocksPeer } from './starrocks-peer.js';

export const SERVERS: readonly Server[] = [mariadb, starrocksPeer, postgres, influxdb1, influxdb18, kafka, cassandra];

/** The named servers in registry order (all of them when no name is given); unknown names are an error. */
export function selectServers(names: readonly string[]): Server[] {
  const unknown = names.filter((name) => !SERVERS.some((server) => server.name === name));
  if (unknown.length > 0) {
    throw new SetupError(`unknown server ${unknown.join(', ')}`, `choose from: ${SERVERS.map((server) => server.name).join(', ')}`);
  }
  return SERVERS.filter((server) => names.length === 0 || names.includes(server.name));
}
