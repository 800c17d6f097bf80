import { retryPolicy } from '../../component/options.js';
import type { KafkaConnectionOptions } from '../../connectors/kafka/connection-options.js';
import { describeKafkaError } from '../../connectors/kafka/errors.js';
import { RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeRetry, retriesFor, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { SourceContext } from '../../core/source.js';
import { isRetriableKafkaError } from './retriable.js';

/**
 * A kafka source's Kafka calls (the plain and the group source), retried as the job's maxRetries and backoff say,
 * a warning per retry; when they run out, one line naming the brokers and what was being done.
 */
export class KafkaRetries {
  private policy: RetryPolicy;
  private logger: Logger = silentLogger;
  private beforeRetry: () => Promise<void> | undefined = () => undefined;

  constructor(private readonly connection: KafkaConnectionOptions) {
    this.policy = retryPolicy(connection);
  }

  open(context: SourceContext, beforeRetry: () => Promise<void> | undefined): void {
    this.logger = context.logger;
    this.policy = retriesFor(retryPolicy(this.connection), context);
    this.beforeRetry = beforeRetry;
  }

  async run<T>(doing: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(operation, this.policy, {
        isRetriable: isRetriableKafkaError,
        sleep: async (ms) => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          await this.beforeRetry();
        },
        onRetry: (error, attempt, delayMs) =>
          this.logger.warn(
            `${describeKafkaError(error, this.connection, `kafka source ${doing}`)}; ${describeRetry(attempt, delayMs, this.policy)}`,
          ),
      });
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(describeKafkaError(error, this.connection, `kafka source ${doing}`), { cause: error });
    }
  }
}
