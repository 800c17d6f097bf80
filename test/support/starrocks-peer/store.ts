/**
 * The peer's storage, all in MariaDB: the loaded rows go into the MariaDB table of the same database and table name
 * (so tests read them back with SQL), and the transactions with their labels into `starrocks_peer.txns`. A load's rows
 * and its transaction turning VISIBLE commit in one MariaDB transaction, so "visible" means exactly "the rows are in".
 *
 * State changes follow StarRocks' DatabaseTransactionMgr: only a PREPARE transaction can be committed or aborted (the
 * row lock of the UPDATE makes commit and abort exclusive, as the FE's transaction lock does); a PREPARE transaction
 * older than its timeout is aborted with "timeout by txn manager" (abortTimeoutTxns). The FE does that from a periodic
 * checker; the peer does it whenever it looks a label up, which clients cannot tell apart.
 */
import mysql from 'mysql2/promise';

/** StarRocks' TransactionStatus names, as get_load_state reports them. */
export type TxnState = 'PREPARE' | 'PREPARED' | 'COMMITTED' | 'VISIBLE' | 'ABORTED';

export interface TableColumn {
  name: string;
  /** MariaDB DATA_TYPE: int, bigint, varchar, datetime, ... */
  dataType: string;
  /** COLUMN_TYPE, e.g. tinyint(1), int(10) unsigned */
  columnType: string;
  nullable: boolean;
  hasDefault: boolean;
  maxLength: number | null;
}

export class PeerStore {
  private constructor(private readonly pool: mysql.Pool) {}

  static async open(mariadb: { host: string; port: number }): Promise<PeerStore> {
    const pool = mysql.createPool({
      host: mariadb.host,
      port: mariadb.port,
      user: 'root',
      connectionLimit: 4,
      timezone: 'Z',
      supportBigNumbers: true,
    });
    await pool.query('CREATE DATABASE IF NOT EXISTS starrocks_peer');
    await pool.query(`CREATE TABLE IF NOT EXISTS starrocks_peer.txns (
      txn_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      db VARCHAR(64) NOT NULL,
      label VARCHAR(128) NOT NULL,
      state VARCHAR(16) NOT NULL,
      reason TEXT,
      timeout_s INT NULL,
      begun_at DATETIME(3) NULL,
      KEY (db, label)
    )`);
    // Tables made by an older peer lack the timeout columns.
    await pool.query(
      'ALTER TABLE starrocks_peer.txns ADD COLUMN IF NOT EXISTS timeout_s INT NULL, ADD COLUMN IF NOT EXISTS begun_at DATETIME(3) NULL',
    );
    return new PeerStore(pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async databaseExists(db: string): Promise<boolean> {
    const [rows] = await this.pool.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db]);
    return (rows as unknown[]).length > 0;
  }

  async columns(db: string, table: string): Promise<TableColumn[]> {
    const [rows] = await this.pool.query(
      `SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, IS_NULLABLE AS nullable,
              COLUMN_DEFAULT AS def, CHARACTER_MAXIMUM_LENGTH AS maxLength
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [db, table],
    );
    return (rows as Array<Record<string, unknown>>).map((r) => ({
      name: String(r.name),
      dataType: String(r.dataType).toLowerCase(),
      columnType: String(r.columnType).toLowerCase(),
      nullable: r.nullable === 'YES',
      hasDefault: r.def !== null,
      maxLength: r.maxLength === null ? null : Number(r.maxLength),
    }));
  }

  /** The transaction that holds `label` in `db`: the one not aborted if any (StarRocks keeps at most one), else the latest. */
  async labelTxn(db: string, label: string): Promise<{ txnId: number; state: TxnState; reason: string | null } | undefined> {
    await this.abortTimedOut(db);
    const [rows] = await this.pool.query(
      "SELECT txn_id AS txnId, state, reason FROM starrocks_peer.txns WHERE db = ? AND label = ? ORDER BY state = 'ABORTED', txn_id DESC LIMIT 1",
      [db, label],
    );
    const row = (rows as Array<{ txnId: number; state: TxnState; reason: string | null }>)[0];
    return row && { txnId: Number(row.txnId), state: row.state, reason: row.reason };
  }

  /** A new transaction; `timeoutS`: the load's `timeout`, after which a PREPARE transaction is aborted (none: never). */
  async beginTxn(db: string, label: string, state: TxnState = 'PREPARE', timeoutS?: number): Promise<number> {
    const [result] = await this.pool.query(
      'INSERT INTO starrocks_peer.txns (db, label, state, timeout_s, begun_at) VALUES (?, ?, ?, ?, NOW(3))',
      [db, label, state, timeoutS ?? null],
    );
    return Number((result as mysql.ResultSetHeader).insertId);
  }

  /** DatabaseTransactionMgr.abortTimeoutTxns: PREPARE transactions past their timeout become ABORTED. */
  async abortTimedOut(db: string): Promise<void> {
    await this.pool.query(
      `UPDATE starrocks_peer.txns SET state = 'ABORTED', reason = 'timeout by txn manager'
        WHERE db = ? AND state = 'PREPARE' AND timeout_s IS NOT NULL AND begun_at + INTERVAL timeout_s SECOND < NOW(3)`,
      [db],
    );
  }

  /** Aborts a transaction if it is still PREPARE; false if it had already committed or aborted. */
  async abortTxn(txnId: number, reason: string): Promise<boolean> {
    const [result] = await this.pool.query(
      "UPDATE starrocks_peer.txns SET state = 'ABORTED', reason = ? WHERE txn_id = ? AND state = 'PREPARE'",
      [reason, txnId],
    );
    return (result as mysql.ResultSetHeader).affectedRows === 1;
  }

  /**
   * DatabaseTransactionMgr.abortTransaction(label, reason), as CancelStreamLoad calls it: aborts the PREPARE
   * transaction of the label, or throws StarRocks' "transaction not found" / "running transaction not found".
   */
  async abortLabel(db: string, label: string, reason: string): Promise<void> {
    await this.abortTimedOut(db);
    const [rows] = await this.pool.query('SELECT txn_id AS txnId, state FROM starrocks_peer.txns WHERE db = ? AND label = ?', [db, label]);
    const txns = rows as Array<{ txnId: number; state: TxnState }>;
    if (txns.length === 0) throw new Error(`transaction not found, label=${label}`);
    const running = txns.find((t) => t.state === 'PREPARE');
    if (!running || !(await this.abortTxn(Number(running.txnId), reason))) throw new Error(`running transaction not found, label=${label}`);
  }

  async setState(txnId: number, state: TxnState, reason: string | null = null): Promise<void> {
    await this.pool.query('UPDATE starrocks_peer.txns SET state = ?, reason = ? WHERE txn_id = ?', [state, reason, txnId]);
  }

  /**
   * Inserts the rows and makes the transaction VISIBLE, atomically; refused if the transaction is no longer PREPARE
   * (cancelled or timed out meanwhile). The UPDATE comes first, so its row lock orders it against an abort.
   */
  async commitRows(txnId: number, db: string, table: string, columns: string[], rows: unknown[][]): Promise<void> {
    const connection = await this.pool.getConnection();
    try {
      await connection.query("SET SESSION time_zone = '+00:00'");
      await connection.beginTransaction();
      const [updated] = await connection.query("UPDATE starrocks_peer.txns SET state = 'VISIBLE' WHERE txn_id = ? AND state = 'PREPARE'", [
        txnId,
      ]);
      if ((updated as mysql.ResultSetHeader).affectedRows !== 1) throw new Error(`transaction ${txnId} is already aborted, cannot commit`);
      if (rows.length > 0) {
        const names = columns.map((c) => `\`${c}\``).join(', ');
        for (let i = 0; i < rows.length; i += 1000) {
          await connection.query(`INSERT INTO \`${db}\`.\`${table}\` (${names}) VALUES ?`, [rows.slice(i, i + 1000)]);
        }
      }
      await connection.commit();
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  /** Every transaction of a database, oldest first (for tests). */
  async txns(db: string): Promise<Array<{ txnId: number; label: string; state: TxnState }>> {
    const [rows] = await this.pool.query('SELECT txn_id AS txnId, label, state FROM starrocks_peer.txns WHERE db = ? ORDER BY txn_id', [
      db,
    ]);
    return (rows as Array<{ txnId: number; label: string; state: TxnState }>).map((r) => ({ ...r, txnId: Number(r.txnId) }));
  }
}
