import type http from 'node:http';
import { basicAuth, request, type HttpAnswer } from './http.js';

/** The BE's answer to a Stream Load (StreamLoadContext::to_json in StarRocks' be/src/runtime/stream_load). */
export interface StreamLoadResult {
  TxnId?: number;
  Label?: string;
  /** Success | Publish Timeout | Label Already Exists | Fail */
  Status: string;
  Message?: string;
  /** RUNNING or FINISHED, with Status "Label Already Exists". */
  ExistingJobStatus?: string;
  NumberTotalRows?: number;
  NumberLoadedRows?: number;
  NumberFilteredRows?: number;
  NumberUnselectedRows?: number;
  LoadBytes?: number;
  LoadTimeMs?: number;
  /** Where the BE lists the rows it filtered and why. */
  ErrorURL?: string;
}

/** Transaction states as get_load_state reports them (StarRocks' TransactionStatus). */
export type LoadState = 'UNKNOWN' | 'PREPARE' | 'PREPARED' | 'COMMITTED' | 'VISIBLE' | 'ABORTED';

export interface StreamLoadTarget {
  feHost: string;
  httpPort: number;
  user: string;
  password: string;
  database: string;
  table: string;
}

/** An HTTP answer that is not a Stream Load result: auth refused by the FE (401), a server error, not JSON... */
export class UnexpectedAnswerError extends Error {
  constructor(
    message: string,
    readonly answer: HttpAnswer,
  ) {
    super(message);
    this.name = 'UnexpectedAnswerError';
  }
}

/** The FE's answer in RestBaseResult form ({status, msg}) or the BE's ({Status, Message}), as one line. */
function answerText(answer: HttpAnswer): string {
  try {
    const json = JSON.parse(answer.body) as Record<string, unknown>;
    const message = json.Message ?? json.message ?? json.msg;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: show the start of it
  }
  return answer.body.slice(0, 300).replace(/\s+/g, ' ').trim() || '(empty body)';
}

/**
 * The HTTP side of Stream Load: `PUT /api/{db}/{table}/_stream_load` on the FE (which redirects to a BE),
 * `GET /api/{db}/get_load_state?label=` to ask what became of a label, and `POST /api/{db}/{label}/_cancel` to abort
 * a load left open under a label.
 */
export class StreamLoadClient {
  readonly feUrl: string;
  private readonly auth: string;

  constructor(
    private readonly target: StreamLoadTarget,
    private readonly agent: http.Agent | undefined,
  ) {
    this.feUrl = `http://${target.feHost}:${target.httpPort}`;
    this.auth = basicAuth(target.user, target.password);
  }

  get loadUrl(): string {
    return `${this.feUrl}/api/${encodeURIComponent(this.target.database)}/${encodeURIComponent(this.target.table)}/_stream_load`;
  }

  /** One load attempt. Resolves with the BE's result; throws HttpTransportError or UnexpectedAnswerError. */
  async load(
    label: string,
    body: Buffer,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ result: StreamLoadResult; answer: HttpAnswer }> {
    const answer = await request(this.loadUrl, {
      method: 'PUT',
      headers: { ...headers, label, Authorization: this.auth },
      body,
      timeoutMs,
      agent: this.agent,
    });
    if (answer.status !== 200) throw new UnexpectedAnswerError(`HTTP ${answer.status} from ${answer.url}: ${answerText(answer)}`, answer);
    let result: StreamLoadResult;
    try {
      result = JSON.parse(answer.body) as StreamLoadResult;
    } catch {
      throw new UnexpectedAnswerError(`${answer.url} answered with something that is not JSON: ${answerText(answer)}`, answer);
    }
    if (typeof result.Status !== 'string') {
      // The FE answers errors itself (RestBaseResult: status/msg) instead of redirecting, e.g. "There is no 100-continue header".
      throw new UnexpectedAnswerError(`${answer.url} did not load: ${answerText(answer)}`, answer);
    }
    return { result, answer };
  }

  /**
   * Aborts the transaction of `label` if it is still PREPARE (StarRocks' CancelStreamLoad, fe-core http/rest, which
   * calls GlobalTransactionMgr.abortTransaction(db, label, "user cancel")). Resolves with the FE's refusal, if any
   * ("running transaction not found, label=..." when the label is not PREPARE); HTTP 200 either way.
   */
  async cancel(label: string, timeoutMs: number): Promise<{ cancelled: boolean; message?: string }> {
    const url = `${this.feUrl}/api/${encodeURIComponent(this.target.database)}/${encodeURIComponent(label)}/_cancel`;
    const answer = await request(url, { method: 'POST', headers: { Authorization: this.auth }, timeoutMs, agent: this.agent });
    if (answer.status !== 200) throw new UnexpectedAnswerError(`HTTP ${answer.status} from ${answer.url}: ${answerText(answer)}`, answer);
    let json: { status?: string };
    try {
      json = JSON.parse(answer.body) as typeof json;
    } catch {
      throw new UnexpectedAnswerError(`_cancel at ${answer.url} answered with something that is not JSON: ${answerText(answer)}`, answer);
    }
    return json.status === 'OK' ? { cancelled: true } : { cancelled: false, message: answerText(answer) };
  }

  /** What the FE knows of a label: VISIBLE/COMMITTED (loaded), PREPARE/PREPARED (running), ABORTED, UNKNOWN. */
  async loadState(label: string, timeoutMs: number): Promise<{ state: LoadState; reason?: string }> {
    const url = `${this.feUrl}/api/${encodeURIComponent(this.target.database)}/get_load_state?label=${encodeURIComponent(label)}`;
    const answer = await request(url, { method: 'GET', headers: { Authorization: this.auth }, timeoutMs, agent: this.agent });
    if (answer.status !== 200) throw new UnexpectedAnswerError(`HTTP ${answer.status} from ${answer.url}: ${answerText(answer)}`, answer);
    let json: { state?: string; status?: string; msg?: string; message?: string; reason?: string };
    try {
      json = JSON.parse(answer.body) as typeof json;
    } catch {
      throw new UnexpectedAnswerError(
        `get_load_state at ${answer.url} answered with something that is not JSON: ${answerText(answer)}`,
        answer,
      );
    }
    if (typeof json.state !== 'string') throw new UnexpectedAnswerError(`get_load_state at ${answer.url}: ${answerText(answer)}`, answer);
    return { state: json.state as LoadState, reason: json.reason || undefined };
  }
}
