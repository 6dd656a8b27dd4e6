// silver-build's transform (docs/pipeline.md §4.4) as one reference-dialect SELECT over `{bronze}`.
// DuckDB runs it in the embedded mode and Spark runs the adapted text in the cluster, so the two
// platforms cannot drift apart. Exact arithmetic (docs/pipeline.md §2.3): integer-valued doubles below
// 2^52 are exact, so floor(CAST(n AS DOUBLE) / d) is exact integer division in every engine.
// Calendar parts are taken from the UTC wall time (`event_ts_utc`, a plain TIMESTAMP; every session
// runs in UTC), which also keeps DuckDB off its much slower time-zone-aware (ICU) functions.
import { BRONZE_COLUMN_NAMES } from '../datagen/columns.js';

/** The 32 derived silver columns, in table order. */
export const SILVER_DERIVED_COLUMNS = [
  'email_clean', 'phone_clean', 'state_standardized', 'city_standardized', 'interaction_date', 'interaction_hour',
  'interaction_day_of_week', 'interaction_week_of_year', 'interaction_month', 'interaction_year', 'is_weekend',
  'is_business_hours', 'is_peak_hours', 'customer_value_tier', 'transaction_size_category', 'engagement_score',
  'session_depth_category', 'time_spent_category', 'channel_preference', 'lifetime_value_estimate',
  'customer_recency_score', 'engagement_velocity', 'churn_risk_indicator', 'attribution_channel',
  'attribution_quality', 'customer_journey_stage', 'device_category', 'browser_family', 'interaction_context',
  'customer_segment_key', 'silver_processing_timestamp', 'data_quality_score',
] as const;

export const SILVER_COLUMNS = [...BRONZE_COLUMN_NAMES, ...SILVER_DERIVED_COLUMNS];

const assertIsoDate = (d: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`reference date must be YYYY-MM-DD, got ${d}`);
  return d;
};

/** The silver SELECT; `referenceDate` is R of docs/pipeline.md §2.2, never the wall clock. */
export function silverSelect(referenceDate: string): string {
  const r = assertIsoDate(referenceDate);
  const bronze = BRONZE_COLUMN_NAMES.join(',\n    ');
  return `WITH utc AS (
  SELECT
    ${bronze},
    CAST(event_timestamp AS TIMESTAMP) AS event_ts_utc
  FROM {bronze}
  WHERE data_quality_flag <> 'duplicate_suspected'
),
base AS (
  SELECT
    ${bronze},
    event_ts_utc,
    regexp_replace(phone_raw, '[^0-9]', '') AS phone_digits,
    upper(state_raw) AS state_upper,
    upper(city_raw) AS city_upper,
    CAST(event_ts_utc AS DATE) AS interaction_date,
    CAST(hour(event_ts_utc) AS INTEGER) AS interaction_hour,
    CAST((day_of_week(event_ts_utc) % 7) + 1 AS INTEGER) AS interaction_day_of_week,
    CAST(round(transaction_amount * 100) AS BIGINT) AS amount_cents,
    CASE
      WHEN transaction_amount > 500 THEN 'high_value'
      WHEN transaction_amount > 100 THEN 'medium_value'
      WHEN transaction_amount > 0 THEN 'low_value'
      ELSE 'browser_only'
    END AS customer_value_tier,
    CASE channel
      WHEN 'mobile_app' THEN 'mobile_first'
      WHEN 'web' THEN 'web_first'
      WHEN 'store' THEN 'physical_first'
      ELSE 'omnichannel'
    END AS channel_preference
  FROM utc
)
SELECT
  ${bronze},
  replace(lower(trim(email_raw)), '.duplicate', '') AS email_clean,
  CASE
    WHEN length(phone_digits) = 10 THEN concat('+1', phone_digits)
    WHEN length(phone_digits) = 11 AND substr(phone_digits, 1, 1) = '1' THEN concat('+1', substr(phone_digits, 2))
    ELSE phone_digits
  END AS phone_clean,
  CASE
    WHEN state_upper IN ('CA', 'CALIFORNIA') THEN 'CA'
    WHEN state_upper IN ('TX', 'TEXAS') THEN 'TX'
    WHEN state_upper IN ('NY', 'NEW YORK') THEN 'NY'
    WHEN state_upper = 'FL' THEN 'FL'
    ELSE state_upper
  END AS state_standardized,
  CASE
    WHEN city_upper IN ('NEW YORK', 'NYC') THEN 'New York'
    WHEN city_upper = 'LA' THEN 'Los Angeles'
    ELSE city_raw
  END AS city_standardized,
  interaction_date,
  interaction_hour,
  interaction_day_of_week,
  CAST(week(event_ts_utc) AS INTEGER) AS interaction_week_of_year,
  CAST(month(event_ts_utc) AS INTEGER) AS interaction_month,
  CAST(year(event_ts_utc) AS INTEGER) AS interaction_year,
  interaction_day_of_week IN (1, 7) AS is_weekend,
  interaction_hour BETWEEN 9 AND 17 AS is_business_hours,
  (interaction_hour BETWEEN 12 AND 14 OR interaction_hour BETWEEN 18 AND 20) AS is_peak_hours,
  customer_value_tier,
  CASE
    WHEN transaction_amount > 1000 THEN 'large'
    WHEN transaction_amount > 250 THEN 'medium'
    WHEN transaction_amount > 0 THEN 'small'
    ELSE 'none'
  END AS transaction_size_category,
  CAST(CASE
    WHEN page_views = 0 THEN 0
    WHEN page_views <= 2 THEN 1
    WHEN page_views <= 5 THEN 2
    WHEN page_views <= 10 THEN 3
    ELSE 4
  END AS INTEGER) AS engagement_score,
  CASE
    WHEN page_views > 10 THEN 'deep'
    WHEN page_views > 3 THEN 'medium'
    WHEN page_views > 0 THEN 'shallow'
    ELSE 'bounce'
  END AS session_depth_category,
  CASE
    WHEN time_on_site_seconds > 1800 THEN 'long'
    WHEN time_on_site_seconds > 300 THEN 'medium'
    WHEN time_on_site_seconds > 0 THEN 'short'
    ELSE 'none'
  END AS time_spent_category,
  channel_preference,
  floor(CAST(amount_cents * (1000 + points_earned) + 500 AS DOUBLE) / 1000) / 100 AS lifetime_value_estimate,
  CAST(30 - date_diff('day', interaction_date, DATE '${r}') AS INTEGER) AS customer_recency_score,
  floor(CAST(1200000 * page_views + greatest(time_on_site_seconds, 60) AS DOUBLE) / (2 * greatest(time_on_site_seconds, 60))) / 10000 AS engagement_velocity,
  CASE
    WHEN satisfaction_score IS NULL THEN 'unknown_risk'
    WHEN satisfaction_score <= 2 THEN 'high_risk'
    WHEN satisfaction_score = 3 THEN 'medium_risk'
    ELSE 'low_risk'
  END AS churn_risk_indicator,
  coalesce(utm_source, 'direct') AS attribution_channel,
  CASE
    WHEN utm_source IS NOT NULL AND utm_medium IS NOT NULL THEN 'high'
    WHEN utm_source IS NOT NULL THEN 'medium'
    ELSE 'low'
  END AS attribution_quality,
  CASE interaction_type
    WHEN 'browse' THEN 'awareness'
    WHEN 'abandoned_cart' THEN 'consideration'
    WHEN 'purchase' THEN 'conversion'
    WHEN 'support' THEN 'retention'
    ELSE 'other'
  END AS customer_journey_stage,
  CASE device_type WHEN 'mobile' THEN 'mobile' WHEN 'tablet' THEN 'tablet' ELSE 'desktop' END AS device_category,
  CASE
    WHEN browser IN ('chrome', 'edge') THEN 'chromium'
    WHEN browser = 'safari' THEN 'webkit'
    WHEN browser = 'firefox' THEN 'gecko'
    ELSE 'other'
  END AS browser_family,
  concat_ws('|', device_type, browser, channel) AS interaction_context,
  concat_ws(':', customer_value_tier, channel_preference, loyalty_tier) AS customer_segment_key,
  current_timestamp AS silver_processing_timestamp,
  CAST(CASE data_quality_flag
    WHEN 'clean' THEN 1.0
    WHEN 'format_inconsistent' THEN 0.8
    WHEN 'incomplete_data' THEN 0.6
    ELSE 0.5
  END AS DOUBLE) AS data_quality_score
FROM base`;
}
