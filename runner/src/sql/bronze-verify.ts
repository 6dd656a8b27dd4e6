// bronze-verify's observations (docs/pipeline.md §3) as reference-dialect statements over `{bronze}`.
// One pass reads every column of every row, the payload included, so the stage's input equals the
// bronze size; judging the observations against thresholds is platform-neutral (model/bronze-checks.ts).
import { BRONZE_COLUMNS } from '../datagen/columns.js';
import * as D from '../datagen/domains.js';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const countWhere = (cond: string) => `CAST(sum(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS BIGINT)`;
const digits = "regexp_replace(phone_raw, '[^0-9]', '')";

// Character classes instead of backslash escapes: Spark string literals treat backslashes as escapes.
export const EMAIL_PATTERN = '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$';

export function bronzeObservationsSelect(p: { payloadBytes: number; customers: number }): string {
  const notNull = BRONZE_COLUMNS.filter((c) => !c.nullable).map((c) => `CASE WHEN ${c.name} IS NULL THEN 1 ELSE 0 END`);
  const productLess = "interaction_type IN ('login', 'support')";
  const structural = [
    `(product_id IS NULL) = (${productLess})`,
    `(product_category IS NULL) = (${productLess})`,
    `(click_count IS NULL) = (${productLess})`,
    `(items_in_cart IS NULL) = (${productLess})`,
    `is_nan(cart_value) = (${productLess})`,
    `(device_type IS NULL) = (channel IN (${list([...D.OFFLINE_CHANNELS])}))`,
    `(browser IS NULL) = (channel IN (${list([...D.OFFLINE_CHANNELS])}))`,
    "(support_ticket_id IS NOT NULL) = (interaction_type = 'support')",
    "(issue_category IS NOT NULL) = (interaction_type = 'support')",
    "(satisfaction_score IS NOT NULL) = (interaction_type = 'support')",
    '((campaign_id IS NULL) = (utm_source IS NULL) AND (campaign_id IS NULL) = (utm_medium IS NULL))',
    '((loyalty_tier IS NULL) = (NOT loyalty_member))',
  ];
  const domains = [
    `interaction_type IN (${list(D.INTERACTION_TYPES)})`,
    `channel IN (${list(D.CHANNELS)})`,
    `data_quality_flag IN (${list(D.QUALITY_FLAGS)})`,
    `currency IN (${list(D.CURRENCIES)})`,
    `data_source IN (${list(D.DATA_SOURCES)})`,
    `customer_id BETWEEN 1 AND ${p.customers}`,
  ];
  return `SELECT
  count(*) AS rows,
  CAST(sum(${notNull.join(' + ')}) AS BIGINT) AS not_null_violations,
  ${countWhere(`NOT (${structural.join(' AND ')})`)} AS structural_violations,
  ${countWhere(`NOT (${domains.join(' AND ')})`)} AS domain_violations,
  ${countWhere(`length(interaction_payload) <> ${p.payloadBytes * 2} OR NOT regexp_like(interaction_payload, '^[0-9a-f]*$')`)} AS payload_violations,
  ${countWhere(`NOT regexp_like(lower(trim(email_raw)), '${EMAIL_PATTERN}')`)} AS email_malformed,
  ${countWhere(`NOT (length(${digits}) = 10 OR (length(${digits}) = 11 AND substr(${digits}, 1, 1) = '1'))`)} AS phone_unnormalizable,
  ${countWhere("data_quality_flag = 'duplicate_suspected'")} AS duplicate_suspected,
  min(event_timestamp) AS event_ts_min,
  max(event_timestamp) AS event_ts_max
FROM {bronze}`;
}

export const bronzeCountsBy = (column: 'interaction_type' | 'channel'): string =>
  `SELECT ${column} AS value, count(*) AS rows FROM {bronze} GROUP BY ${column} ORDER BY ${column}`;
