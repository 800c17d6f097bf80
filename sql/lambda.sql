-- The lambda project's tables and its serving view (docs/lambda.md), in PostgreSQL. Idempotent: every job that
-- writes one of these tables runs this file at start (the postgres sink's setupSql), in one transaction.
-- Timestamps are timestamptz, so what the jobs write in UTC reads back as the same instant in any session time zone
-- (the original used TIMESTAMP without a zone).

-- Users and their hourly quota in bytes (lambda-provision fills it; the jobs join on id).
CREATE TABLE IF NOT EXISTS user_metadata (
  id    text PRIMARY KEY,
  name  text NOT NULL,
  email text NOT NULL,
  quota bigint NOT NULL
);

-- Speed layer (lambda-speed): bytes per antenna, per user and per app over 5-minute windows, one row per
-- (window start, id, type), updated while the window is open. type: antenna_bytes_total (id: the antenna_id),
-- mail_bytes_total (id: the user's email, or the user's id when user_metadata has none) or app_bytes_total (id: the
-- app). The original keyed the speed layer's user totals by user id and the batch layer's by email; both are by
-- email here, so the two layers can be served side by side.
CREATE TABLE IF NOT EXISTS bytes (
  "timestamp" timestamptz NOT NULL,
  id          text NOT NULL,
  value       bigint NOT NULL,
  type        text NOT NULL,
  PRIMARY KEY ("timestamp", id, type)
);

-- Batch layer (lambda-batch): the same totals per hour (timestamp: the hour), from the lake. Re-running an hour
-- replaces its rows (the sink's replaceWhere).
CREATE TABLE IF NOT EXISTS bytes_hourly (
  "timestamp" timestamptz NOT NULL,
  id          text NOT NULL,
  value       bigint NOT NULL,
  type        text NOT NULL,
  PRIMARY KEY ("timestamp", id, type)
);

-- Batch layer (lambda-batch-quota): users whose bytes in an hour passed their quota.
CREATE TABLE IF NOT EXISTS user_quota_limit (
  email       text NOT NULL,
  usage       bigint NOT NULL,
  quota       bigint NOT NULL,
  "timestamp" timestamptz NOT NULL,
  PRIMARY KEY ("timestamp", email)
);

-- Serving layer: per hour, the batch layer's totals where lambda-batch has computed that hour, else the speed
-- layer's 5-minute windows summed to the hour (a window never spans two hours; hours in UTC). One row per (hour, type, id);
-- layer says which layer it comes from.
CREATE OR REPLACE VIEW bytes_serving AS
SELECT "timestamp" AS hour, type, id, value, 'batch' AS layer
  FROM bytes_hourly
UNION ALL
SELECT date_trunc('hour', b."timestamp", 'UTC') AS hour, b.type, b.id, sum(b.value)::bigint AS value, 'speed' AS layer
  FROM bytes b
 WHERE NOT EXISTS (SELECT 1 FROM bytes_hourly h WHERE h."timestamp" = date_trunc('hour', b."timestamp", 'UTC'))
 GROUP BY 1, 2, 3;
