import { escapeIdentifier } from 'pg';

/** Default table recording, in each tenant schema, the migrations applied there. */
export const DEFAULT_TRACKING_TABLE = 'kwik_tenant_migrations';

/** `"schema"."table"` of the tracking table. */
export function trackingTableName(schema: string, table: string): string {
  return `${escapeIdentifier(schema)}.${escapeIdentifier(table)}`;
}

/** Creates the tracking table when missing; run under the schema's lock (concurrent IF NOT EXISTS can still collide). */
export function createTrackingTableSql(schema: string, table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${trackingTableName(schema, table)} (
  name text PRIMARY KEY,
  "timestamp" bigint NOT NULL,
  ran_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL
)`;
}
