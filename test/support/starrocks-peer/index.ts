/**
 * A protocol-faithful StarRocks Stream Load peer for tests: an FE and a BE on loopback that follow what StarRocks'
 * source shows (fe.ts, be.ts), storing rows and transactions in MariaDB (store.ts). StarRocks itself cannot run on
 * these machines; this peer is what the starrocks sink's Stream Load path is verified against. It does not plan
 * queries, does not implement column expressions, `where`, partitions or compression, and has one BE.
 *
 *   const peer = await startStarRocksPeer({ mariadb: { host, port }, users: { root: '', loader: 'secret' } });
 *   // sink options: feHost: peer.feHost, httpPort: peer.fePort, database: <a MariaDB database>, table: <its table>
 *   peer.requests      every request the FE and BE saw (headers, body bytes, whether 100 Continue was sent)
 *   peer.failNext(msg) the next load fails with `msg` (aborted; a transient failure for retry tests)
 *   peer.dropNextAnswer() the next load commits, then the connection is dropped without an answer
 *   peer.orphanNextLoad() the next load begins its transaction, then the BE drops the connection without rolling
 *                      back (a BE that crashed): the label stays PREPARE until its timeout or a _cancel
 *   peer.holdNextLoad() the next load stops after its transaction began, before `100 Continue`, until released
 *   peer.setLabel(db, label, state, reason?, timeoutS?) put a transaction in any state (RUNNING, ABORTED... tests)
 *   await peer.close()
 *
 * Nothing runs at import: node's test runner loads this file as a test file of its own.
 */
import type http from 'node:http';
import { createBe, type LoadHold } from './be.js';
import { addressOf, createFe } from './fe.js';
import type { LoggedRequest } from './http-util.js';
import { PeerStore, type TxnState } from './store.js';

export interface PeerOptions {
  mariadb: { host: string; port: number };
  /** user -> password; default root with no password, as StarRocks starts. */
  users?: Record<string, string>;
  /** Ports on 127.0.0.1; default: free ones. */
  fePort?: number;
  bePort?: number;
}

export interface StarRocksPeer {
  feHost: string;
  fePort: number;
  beAddress: string;
  requests: LoggedRequest[];
  failNext(message: string, times?: number): void;
  dropNextAnswer(times?: number): void;
  orphanNextLoad(): void;
  /** `reached` resolves with the label once the next load holds; `release()` lets it go on. */
  holdNextLoad(): { reached: Promise<string>; release(): void };
  setLabel(db: string, label: string, state: TxnState, reason?: string, timeoutS?: number): Promise<number>;
  setState(txnId: number, state: TxnState, reason?: string): Promise<void>;
  txns(db: string): Promise<Array<{ txnId: number; label: string; state: TxnState }>>;
  close(): Promise<void>;
}

const listen = (server: http.Server, port = 0) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

const shut = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export async function startStarRocksPeer(options: PeerOptions): Promise<StarRocksPeer> {
  const users = options.users ?? { root: '' };
  const store = await PeerStore.open(options.mariadb);
  const requests: LoggedRequest[] = [];
  const faults = { failures: [] as string[], dropAnswers: 0, orphans: 0, holds: [] as LoadHold[] };
  let beAddress = '';
  const be = createBe({ users, store, log: requests, faults, selfAddress: () => beAddress });
  const fe = createFe({ users, store, log: requests, beAddress: () => beAddress });
  await listen(be, options.bePort);
  await listen(fe, options.fePort);
  beAddress = addressOf(be);
  const [feHost, fePort] = addressOf(fe).split(':');
  return {
    feHost,
    fePort: Number(fePort),
    beAddress,
    requests,
    failNext: (message, times = 1) => {
      for (let i = 0; i < times; i++) faults.failures.push(message);
    },
    dropNextAnswer: (times = 1) => {
      faults.dropAnswers += times;
    },
    orphanNextLoad: () => {
      faults.orphans++;
    },
    holdNextLoad: () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const reached = new Promise<string>((resolve) => faults.holds.push({ reached: resolve, released }));
      return { reached, release };
    },
    setLabel: async (db, label, state, reason, timeoutS) => {
      const txnId = await store.beginTxn(db, label, state, timeoutS);
      if (reason) await store.setState(txnId, state, reason);
      return txnId;
    },
    setState: (txnId, state, reason) => store.setState(txnId, state, reason ?? null),
    txns: (db) => store.txns(db),
    close: async () => {
      await Promise.all([shut(fe), shut(be)]);
      await store.close();
    },
  };
}
