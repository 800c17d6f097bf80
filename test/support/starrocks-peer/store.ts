/**
 * The peer's storage, all in MariaDB: the loaded rows go into the MariaDB table of the same database and table name
 * (so tests read them back with SQL), and the transactions with their labels into `starrocks_peer.txns`. A load's rows
 * and its transaction turning VISIBLE commit in one MariaDB transaction, so "visible" means exactly "the rows are in".
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
      KEY (db, label)
    )`);
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
    const [rows] = await this.pool.query(
      "SELECT txn_id AS txnId, state, reason FROM starrocks_peer.txns WHERE db = ? AND label = ? ORDER BY state = 'ABORTED', txn_id DESC LIMIT 1",
      [db, label],
    );
    const row = (rows as Array<{ txnId: number; state: TxnState; reason: string | null }>)[0];
    return row && { txnId: Number(row.txnId), state: row.state, reason: row.reason };
  }

  async beginTxn(db: string, label: string, state: TxnState = 'PREPARE'): Promise<number> {
    const [result] = await this.pool.query('INSERT INTO starrocks_peer.txns (db, label, state) VALUES (?, ?, ?)', [db, label, state]);
    return Number((result as mysql.ResultSetHeader).insertId);
  }

  async setState(txnId: number, state: TxnState, reason: string | null = null): Promise<void> {
    await this.pool.query('UPDATE starrocks_peer.txns SET state = ?, reason = ? WHERE txn_id = ?', [state, reason, txnId]);
  }

  /** Inserts the rows and makes the transaction VISIBLE, atomically. */
  async commitRows(txnId: number, db: string, table: string, columns: string[], rows: unknown[][]): Promise<void> {
    const connection = await this.pool.getConnection();
    try {
      await connection.query("SET SESSION time_zone = '+00:00'");
      await connection.beginTransaction();
      if (rows.length > 0) {
        const names = columns.map((c) => `\`${c}\``).join(', ');
        for (let i = 0; i < rows.length; i += 1000) {
          await connection.query(`INSERT INTO \`${db}\`.\`${table}\` (${names}) VALUES ?`, [rows.slice(i, i + 1000)]);
        }
      }
      await connection.query("UPDATE starrocks_peer.txns SET state = 'VISIBLE' WHERE txn_id = ?", [txnId]);
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
