// The eight benchmark queries of docs/benchmark.md §3, as data, written once in the reference dialect
// (Trino SQL) with `{silver}` and `{gold}` placeholders. Engines receive them through `adapt()`.
import type { QueryClass } from '../model/metrics.js';

export type QueryDef = {
  id: 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'Q5' | 'Q6' | 'Q7' | 'Q9';
  name: string;
  displayName: string;
  class: QueryClass;
  reads: readonly ('silver' | 'gold')[];
  /** Declared minimum rows: fewer is a failure, never a success (docs/benchmark.md §6). */
  minRows: number;
  /**
   * Decimals of each rounded column: the tolerant comparison of docs/benchmark.md §9 allows one unit of the
   * last decimal between executions (benchmark/tolerant-compare.ts), and the answer checks half a unit
   * per row when they add a rounded column up (benchmark/answer-checks.ts).
   */
  rounding: Readonly<Record<string, number>>;
  /** ORDER BY keys the returned order must respect: [column, 'asc' | 'desc']. */
  orderBy: readonly (readonly [string, 'asc' | 'desc'])[];
  sql: string;
};

const stageCount = (stage: string) => `sum(CASE WHEN customer_journey_stage = '${stage}' THEN 1 ELSE 0 END)`;
const ma7 = 'OVER (ORDER BY interaction_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)';
const lagDay = (col: string) => `lag(${col}) OVER (ORDER BY interaction_date)`;

export const QUERIES: readonly QueryDef[] = [
  {
    id: 'Q1', name: 'Q1_full_aggregation_scan', displayName: 'Full aggregation scan', class: 'scan', reads: ['silver'], minRows: 1,
    rounding: { total_revenue: 2, avg_transaction: 2 }, orderBy: [],
    sql: `SELECT
  count(*) AS total_records,
  count(DISTINCT customer_id) AS unique_customers,
  count(DISTINCT session_id) AS unique_sessions,
  round(sum(transaction_amount), 2) AS total_revenue,
  round(avg(transaction_amount), 2) AS avg_transaction
FROM {silver}`,
  },
  {
    id: 'Q2', name: 'Q2_filtered_aggregation', displayName: 'Filtered aggregation', class: 'filter_prune', reads: ['silver'], minRows: 1,
    rounding: { revenue: 2 }, orderBy: [['interaction_date', 'asc'], ['revenue', 'desc']],
    sql: `SELECT
  interaction_date,
  interaction_type,
  count(*) AS interactions,
  count(DISTINCT customer_id) AS customers,
  round(sum(transaction_amount), 2) AS revenue
FROM {silver}
WHERE interaction_date >= (SELECT min(interaction_date) FROM {silver})
  AND interaction_date < date_add('month', 3, (SELECT min(interaction_date) FROM {silver}))
GROUP BY interaction_date, interaction_type
ORDER BY interaction_date, revenue DESC`,
  },
  {
    id: 'Q4', name: 'Q4_churn_risk_analysis', displayName: 'Churn risk analysis', class: 'filter_prune', reads: ['silver'], minRows: 1,
    rounding: { avg_engagement: 2, avg_satisfaction: 2 }, orderBy: [['at_risk_customers', 'desc']],
    sql: `SELECT
  churn_risk_indicator,
  customer_journey_stage,
  device_category,
  count(*) AS interactions,
  count(DISTINCT customer_id) AS at_risk_customers,
  round(avg(engagement_score), 2) AS avg_engagement,
  round(avg(satisfaction_score), 2) AS avg_satisfaction
FROM {silver}
WHERE churn_risk_indicator IN ('high_risk', 'medium_risk')
GROUP BY churn_risk_indicator, customer_journey_stage, device_category
HAVING count(DISTINCT customer_id) > 10
ORDER BY at_risk_customers DESC`,
  },
  {
    id: 'Q3', name: 'Q3_customer_segmentation', displayName: 'Customer segmentation', class: 'aggregation', reads: ['silver'], minRows: 1,
    rounding: { total_spend: 2, avg_engagement: 2, avg_ltv: 2 }, orderBy: [['total_spend', 'desc']],
    sql: `SELECT
  customer_value_tier,
  channel_preference,
  count(DISTINCT customer_id) AS customers,
  round(sum(transaction_amount), 2) AS total_spend,
  round(avg(engagement_score), 2) AS avg_engagement,
  round(avg(lifetime_value_estimate), 2) AS avg_ltv
FROM {silver}
WHERE transaction_amount > 0
GROUP BY customer_value_tier, channel_preference
ORDER BY total_spend DESC`,
  },
  {
    id: 'Q7', name: 'Q7_channel_conversion_funnel', displayName: 'Channel conversion funnel', class: 'aggregation', reads: ['silver'], minRows: 1,
    rounding: { conversion_rate_pct: 2, channel_revenue: 2, avg_engagement: 2 }, orderBy: [['channel_revenue', 'desc']],
    sql: `SELECT
  channel,
  count(*) AS total_interactions,
  ${stageCount('awareness')} AS awareness,
  ${stageCount('consideration')} AS consideration,
  ${stageCount('conversion')} AS conversions,
  ${stageCount('retention')} AS retention,
  round(CAST(${stageCount('conversion')} AS DOUBLE) / nullif(${stageCount('awareness')}, 0) * 100, 2) AS conversion_rate_pct,
  round(sum(transaction_amount), 2) AS channel_revenue,
  round(avg(engagement_score), 2) AS avg_engagement
FROM {silver}
GROUP BY channel
ORDER BY channel_revenue DESC`,
  },
  {
    id: 'Q5', name: 'Q5_revenue_trend_ma7', displayName: 'Revenue trend MA7', class: 'analytics', reads: ['silver'], minRows: 1,
    rounding: { revenue: 2, revenue_ma7: 2, dau_ma7: 0 }, orderBy: [['interaction_date', 'desc']],
    sql: `WITH daily AS (
  SELECT
    interaction_date,
    count(DISTINCT customer_id) AS dau,
    round(sum(transaction_amount), 2) AS revenue,
    count(*) AS total_interactions
  FROM {silver}
  GROUP BY interaction_date
)
SELECT
  interaction_date,
  dau,
  revenue,
  total_interactions,
  round(avg(revenue) ${ma7}, 2) AS revenue_ma7,
  round(avg(dau) ${ma7}, 0) AS dau_ma7
FROM daily
ORDER BY interaction_date DESC
LIMIT 90`,
  },
  {
    id: 'Q6', name: 'Q6_customer_rfm', displayName: 'Customer RFM scoring', class: 'analytics', reads: ['silver'], minRows: 1,
    rounding: { avg_spend: 2, avg_frequency: 1, avg_recency: 0 }, orderBy: [['avg_spend', 'desc']],
    sql: `WITH per_customer AS (
  SELECT
    customer_id,
    max(interaction_date) AS last_date,
    count(DISTINCT interaction_date) AS frequency,
    round(sum(transaction_amount), 2) AS monetary
  FROM {silver}
  GROUP BY customer_id
),
scored AS (
  SELECT frequency, monetary, date_diff('day', last_date, max(last_date) OVER ()) AS recency_days
  FROM per_customer
),
segmented AS (
  SELECT
    CASE
      WHEN recency_days <= 30 AND frequency >= 20 AND monetary > 1000 THEN 'Champions'
      WHEN recency_days <= 60 AND frequency >= 10 AND monetary > 500 THEN 'Loyal'
      WHEN recency_days <= 30 AND monetary > 200 THEN 'Potential Loyalists'
      WHEN recency_days <= 90 AND frequency >= 5 THEN 'At Risk'
      WHEN recency_days > 180 THEN 'Lost'
      ELSE 'Casual'
    END AS rfm_segment,
    monetary, frequency, recency_days
  FROM scored
)
SELECT
  rfm_segment,
  count(*) AS customer_count,
  round(avg(monetary), 2) AS avg_spend,
  round(avg(frequency), 1) AS avg_frequency,
  round(avg(recency_days), 0) AS avg_recency
FROM segmented
GROUP BY rfm_segment
ORDER BY avg_spend DESC`,
  },
  {
    id: 'Q9', name: 'Q9_executive_dashboard', displayName: 'Executive dashboard', class: 'operational', reads: ['gold'], minRows: 1,
    rounding: { revenue_change: 2, dau_change_pct: 1 }, orderBy: [['interaction_date', 'desc']],
    sql: `SELECT
  interaction_date,
  daily_active_customers,
  total_daily_revenue,
  conversions,
  avg_engagement_score,
  high_churn_risk_count,
  round(total_daily_revenue - ${lagDay('total_daily_revenue')}, 2) AS revenue_change,
  round((CAST(daily_active_customers AS DOUBLE) - ${lagDay('daily_active_customers')}) / nullif(${lagDay('daily_active_customers')}, 0) * 100, 1) AS dau_change_pct
FROM {gold}
ORDER BY interaction_date DESC
LIMIT 30`,
  },
];
