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
-- (window start, id, type), updated while the window is open. type: antenna_bytes_total | user_bytes_total |
-- app_bytes_total; id: the antenna_id, the user's id or the app.
CREATE TABLE IF NOT EXISTS bytes (
  "timestamp" timestamptz NOT NULL,
  id          text NOT NULL,
  value       bigint NOT NULL,
  type        text NOT NULL,
  PRIMARY KEY ("timestamp", id, type)
);

-- Batch layer (lambda-batch): the same totals per hour from the lake, by antenna, by the user's email and by app.
-- type: antenna_bytes_total | mail_bytes_total | app_bytes_total. id is null for the messages of users without
-- metadata (mail_bytes_total of a left join), so there is no primary key: re-running an hour replaces it whole.
CREATE TABLE IF NOT EXISTS bytes_hourly (
  "timestamp" timestamptz NOT NULL,
  id          text,
  value       bigint NOT NULL,
  type        text NOT NULL
);
CREATE INDEX IF NOT EXISTS bytes_hourly_timestamp ON bytes_hourly ("timestamp");

-- Batch layer (lambda-batch-quota): users whose bytes in an hour passed their quota.
CREATE TABLE IF NOT EXISTS user_quota_limit (
  email       text NOT NULL,
  usage       bigint NOT NULL,
  quota       bigint NOT NULL,
  "timestamp" timestamptz NOT NULL,
  PRIMARY KEY ("timestamp", email)
);

-- Serving layer: per hour, the batch layer's totals where lambda-batch has computed that hour, the speed layer's
-- windows summed to the hour everywhere else. One row per (hour, type, id); the speed layer's per-user rows are
-- shown by email (as the batch layer computes them), through user_metadata.
CREATE OR REPLACE VIEW bytes_serving AS
WITH batch_hours AS (
  SELECT DISTINCT "timestamp" AS hour FROM bytes_hourly
), speed AS (
  SELECT date_trunc('hour', b."timestamp") AS hour,
         CASE b.type WHEN 'user_bytes_total' THEN 'mail_bytes_total' ELSE b.type END AS type,
         CASE b.type WHEN 'user_bytes_total' THEN u.email ELSE b.id END AS id,
         sum(b.value)::bigint AS value
    FROM bytes b
    LEFT JOIN user_metadata u ON b.type = 'user_bytes_total' AND u.id = b.id
   WHERE NOT EXISTS (SELECT 1 FROM batch_hours h WHERE h.hour = date_trunc('hour', b."timestamp"))
   GROUP BY 1, 2, 3
)
SELECT "timestamp" AS hour, type, id, value, 'batch' AS layer FROM bytes_hourly
UNION ALL
SELECT hour, type, id, value, 'speed' AS layer FROM speed;
