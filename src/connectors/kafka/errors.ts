import type { KafkaConnectionOptions } from './connection-options.js';
import { type ErrorNode, errorNodes } from './error-tree.js';
import { isAuthFailure, isAuthorizationFailure, isTimeout, SOCKET_REASONS } from './error-kinds.js';

const unknownTopic = (n: ErrorNode) => /^Unknown topics? (.+?)\.?$/.exec(n.message)?.[1];

/** The broker's words if it sent any (its messages never echo a password), else the client's. */
const said = (nodes: ErrorNode[]) => nodes.find((n) => n.serverErrorMessage)?.serverErrorMessage;

/** The addresses of the brokers the client named in "Connection to host:port failed." (all of them, in order). */
function failedBrokers(nodes: ErrorNode[]): string[] {
  const addresses = nodes.map((n) => /^Connection to (\S+?) (failed|timed out)/.exec(n.message)?.[1]).filter((a) => a !== undefined);
  return [...new Set(addresses)];
}

/** Why it failed and what to do, from the most specific error in the tree. */
function reason(nodes: ErrorNode[], options: KafkaConnectionOptions): string {
  const user = options.sasl ? `user '${options.sasl.username}'` : 'an anonymous client (no sasl)';
  if (nodes.some(isAuthFailure)) {
    return (
      `the broker refused the credentials of ${user} (SASL ${options.sasl?.mechanism ?? ''}: ${said(nodes) ?? 'authentication failed'}); ` +
      'check sasl.username and sasl.password'
    );
  }
  const mechanism = nodes.find((n) => n.apiId === 'UNSUPPORTED_SASL_MECHANISM');
  if (mechanism)
    return `the broker does not accept SASL ${options.sasl?.mechanism} (${said(nodes) ?? mechanism.message}); set sasl.mechanism to one it enables`;
  const denied = nodes.find(isAuthorizationFailure);
  if (denied)
    return `${user} is not authorized (${denied.apiId}${said(nodes) ? `: ${said(nodes)}` : ''}); the cluster's ACLs must allow it`;
  const topic = nodes.map(unknownTopic).find((t) => t !== undefined);
  if (topic !== undefined || nodes.some((n) => n.apiId === 'UNKNOWN_TOPIC_OR_PARTITION')) {
    return `topic ${topic ?? '(one of those asked for)'} does not exist; create it first, or let it be created on first use (auto-creation on the broker and in the job)`;
  }
  const socket = nodes.find((n) => n.code !== undefined && n.code in SOCKET_REASONS);
  const brokers = failedBrokers(nodes);
  const at = brokers.length > 0 ? ` (${brokers.join(', ')})` : '';
  if (socket?.code) return `no broker could be reached${at}: ${SOCKET_REASONS[socket.code]}`;
  if (nodes.some(isTimeout))
    return `no answer within connectTimeout ${options.connectTimeout / 1000} s / requestTimeout ${options.requestTimeout / 1000} s${at}`;
  if (nodes.some((n) => n.message === 'Connection closed') && !options.sasl) {
    return `the broker closed the connection${at}; a broker that requires authentication does that to a client without sasl: set sasl (mechanism, username, password)`;
  }
  const leaves = nodes.filter((n) => !/Cannot connect to any broker|Received response with error/.test(n.message));
  const parts = (leaves.length > 0 ? leaves : nodes).map((n) => (n.serverErrorMessage ?? n.message).replace(/\.$/, ''));
  return [...new Set(parts)].join(': ');
}

/** Every occurrence of the password replaced, should a broker or a client ever echo it. */
function redact(text: string, options: KafkaConnectionOptions): string {
  const password = options.sasl?.password;
  return password ? text.split(password).join('***') : text;
}

/**
 * One line for a failed Kafka call that names the brokers, the user, what was being done, why it failed and what to
 * do: an unreachable broker, refused credentials, a missing topic, a timeout. The source's and the sink's errors use
 * it. The password of `sasl` never appears: only the user is named.
 */
export function describeKafkaError(error: unknown, options: KafkaConnectionOptions, doing: string): string {
  const where = options.bootstrapServers.join(',');
  const who = options.sasl ? ` as ${options.sasl.username} (${options.sasl.mechanism})` : '';
  return redact(`kafka ${where}${who}: ${doing} failed: ${reason(errorNodes(error), options)}`, options);
}
