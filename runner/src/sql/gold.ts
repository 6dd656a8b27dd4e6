// gold-finalize's aggregation (docs/pipeline.md §5): one row per interaction_date with 30 KPIs, in the
// reference dialect. Money is summed in integer cents, and every rounded mean is "exact value rounded
// half away from zero" computed as floor((2·k·Σ + n) / (2n)) / k on integer-valued doubles, which is
// exact below 2^52 and therefore the same in DuckDB, Spark and Trino. All inputs are non-negative.

/** mean(x) rounded half away from zero to `decimals`, from an integer sum and count. */
const roundedMean = (sum: string, count: string, decimals: number): string => {
  const k = 10 ** decimals;
  return `CAST(floor(CAST(${2 * k} * ${sum} + ${count} AS DOUBLE) / (2 * ${count})) AS DOUBLE) / ${k}`;
};
const cents = (expr: string) => `CAST(${expr} AS DOUBLE) / 100`;
const countIf = (cond: string) => `CAST(sum(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS BIGINT)`;
const centsIf = (cond: string) => cents(`sum(CASE WHEN ${cond} THEN amount_cents ELSE 0 END)`);

export const GOLD_COLUMNS = [
  'interaction_date', 'daily_active_customers', 'unique_emails', 'total_sessions', 'total_daily_revenue',
  'avg_transaction_value', 'largest_transaction', 'total_transactions', 'web_revenue', 'mobile_revenue',
  'store_revenue', 'call_center_revenue', 'avg_engagement_score', 'avg_time_on_site_seconds', 'avg_page_views',
  'awareness_interactions', 'consideration_interactions', 'conversions', 'retention_interactions',
  'loyalty_member_interactions', 'total_points_earned', 'total_points_redeemed', 'support_tickets_created',
  'avg_satisfaction_score', 'high_churn_risk_count', 'medium_churn_risk_count', 'total_estimated_ltv',
  'avg_estimated_ltv', 'web_interactions', 'mobile_interactions', 'store_interactions',
] as const;

export function goldSelect(): string {
  return `WITH s AS (
  SELECT
    interaction_date, customer_id, email_clean, session_id, transaction_amount, channel, engagement_score,
    time_on_site_seconds, page_views, customer_journey_stage, loyalty_member, points_earned, points_redeemed,
    support_ticket_id, satisfaction_score, churn_risk_indicator,
    CAST(round(transaction_amount * 100) AS BIGINT) AS amount_cents,
    CAST(round(lifetime_value_estimate * 100) AS BIGINT) AS ltv_cents
  FROM {silver}
)
SELECT
  interaction_date,
  count(DISTINCT customer_id) AS daily_active_customers,
  count(DISTINCT email_clean) AS unique_emails,
  count(DISTINCT session_id) AS total_sessions,
  ${cents('sum(amount_cents)')} AS total_daily_revenue,
  ${roundedMean('sum(amount_cents)', 'count(*)', 0)} / 100 AS avg_transaction_value,
  max(transaction_amount) AS largest_transaction,
  ${countIf('transaction_amount > 0')} AS total_transactions,
  ${centsIf("channel = 'web'")} AS web_revenue,
  ${centsIf("channel = 'mobile_app'")} AS mobile_revenue,
  ${centsIf("channel = 'store'")} AS store_revenue,
  ${centsIf("channel = 'call_center'")} AS call_center_revenue,
  ${roundedMean('sum(engagement_score)', 'count(*)', 2)} AS avg_engagement_score,
  ${roundedMean('sum(time_on_site_seconds)', 'count(*)', 0)} AS avg_time_on_site_seconds,
  ${roundedMean('sum(page_views)', 'count(*)', 1)} AS avg_page_views,
  ${countIf("customer_journey_stage = 'awareness'")} AS awareness_interactions,
  ${countIf("customer_journey_stage = 'consideration'")} AS consideration_interactions,
  ${countIf("customer_journey_stage = 'conversion'")} AS conversions,
  ${countIf("customer_journey_stage = 'retention'")} AS retention_interactions,
  ${countIf('loyalty_member')} AS loyalty_member_interactions,
  CAST(sum(points_earned) AS BIGINT) AS total_points_earned,
  CAST(sum(points_redeemed) AS BIGINT) AS total_points_redeemed,
  count(DISTINCT support_ticket_id) AS support_tickets_created,
  CASE WHEN count(satisfaction_score) = 0 THEN NULL
    ELSE ${roundedMean('sum(satisfaction_score)', 'count(satisfaction_score)', 2)} END AS avg_satisfaction_score,
  ${countIf("churn_risk_indicator = 'high_risk'")} AS high_churn_risk_count,
  ${countIf("churn_risk_indicator = 'medium_risk'")} AS medium_churn_risk_count,
  ${cents('sum(ltv_cents)')} AS total_estimated_ltv,
  ${roundedMean('sum(ltv_cents)', 'count(*)', 0)} / 100 AS avg_estimated_ltv,
  ${countIf("channel = 'web'")} AS web_interactions,
  ${countIf("channel = 'mobile_app'")} AS mobile_interactions,
  ${countIf("channel = 'store'")} AS store_interactions
FROM s
GROUP BY interaction_date`;
}

/** Self-checks of docs/pipeline.md §5, each one row: gold against the silver it was built from. */
export const GOLD_SELF_CHECKS = {
  rows_equal_silver_dates: { gold: 'SELECT count(*) AS v FROM {gold}', silver: 'SELECT count(DISTINCT interaction_date) AS v FROM {silver}' },
  revenue_equals_silver: {
    gold: 'SELECT CAST(round(sum(total_daily_revenue) * 100) AS BIGINT) AS v FROM {gold}',
    silver: 'SELECT CAST(sum(CAST(round(transaction_amount * 100) AS BIGINT)) AS BIGINT) AS v FROM {silver}',
  },
  conversions_equal_silver_purchases: {
    gold: 'SELECT CAST(sum(conversions) AS BIGINT) AS v FROM {gold}',
    silver: "SELECT count(*) AS v FROM {silver} WHERE interaction_type = 'purchase'",
  },
} as const;
