import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY, describeRetry, isRetryWarning, retriesFor } from '../../src/core/retry.js';

describe('retry warnings and checks', () => {
  it('describeRetry says how long the retries still ahead will wait, on average', () => {
    // 100 ms now, then the mean (3/4 of the cap) of retries 2..10: caps 200 ... 6400, then 10 s three times.
    assert.equal(describeRetry(1, 100, DEFAULT_RETRY), 'retry 1/10 in 100 ms (gives up after ~32 s more)');
    assert.equal(describeRetry(9, 7000, DEFAULT_RETRY), 'retry 9/10 in 7000 ms (gives up after ~15 s more)');
    assert.equal(describeRetry(10, 8000, DEFAULT_RETRY), 'retry 10/10 in 8000 ms (the last one)');
  });

  it('isRetryWarning knows every warning describeRetry ends (what /metrics counts as a retry), and nothing else', () => {
    for (const attempt of [1, 9, 10]) {
      assert.ok(isRetryWarning(`mysql sink 127.0.0.1:3306: connection refused; ${describeRetry(attempt, 800, DEFAULT_RETRY)}`));
    }
    assert.ok(!isRetryWarning('batch 3 not committed (it runs again on the next start)'));
    assert.ok(!isRetryWarning('no retry: 2/3 rows in 5 ms'));
  });

  it('retriesFor: a check (failFast) does not retry; a job keeps its policy', () => {
    assert.deepEqual(retriesFor(DEFAULT_RETRY, { failFast: true }), { ...DEFAULT_RETRY, maxRetries: 0 });
    assert.equal(retriesFor(DEFAULT_RETRY, {}), DEFAULT_RETRY);
  });
});
