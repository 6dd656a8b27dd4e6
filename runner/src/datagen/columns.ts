// The 41 bronze columns of docs/data.md §5, in file order, as data. bronze-verify checks files against
// this list, and the generator writes exactly these names and types.

export type BronzeType = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR' | 'TIMESTAMP WITH TIME ZONE';

export type BronzeColumn = {
  name: string;
  type: BronzeType;
  /** Null only where docs/data.md §5.1 makes it structural; every other column is never null. */
  nullable: boolean;
};

const col = (name: string, type: BronzeType, nullable = false): BronzeColumn => ({ name, type, nullable });

export const BRONZE_COLUMNS: readonly BronzeColumn[] = [
  col('id', 'BIGINT'),
  col('row_id', 'BIGINT'),
  col('event_timestamp', 'TIMESTAMP WITH TIME ZONE'),
  col('event_id', 'VARCHAR'),
  col('session_id', 'VARCHAR'),
  col('customer_id', 'BIGINT'),
  col('email_raw', 'VARCHAR'),
  col('phone_raw', 'VARCHAR'),
  col('interaction_type', 'VARCHAR'),
  col('product_id', 'VARCHAR', true),
  col('product_category', 'VARCHAR', true),
  col('transaction_amount', 'DOUBLE'),
  col('currency', 'VARCHAR'),
  col('channel', 'VARCHAR'),
  col('device_type', 'VARCHAR', true),
  col('browser', 'VARCHAR', true),
  col('ip_address', 'VARCHAR'),
  col('city_raw', 'VARCHAR'),
  col('state_raw', 'VARCHAR'),
  col('zip_code', 'VARCHAR'),
  col('page_views', 'INTEGER'),
  col('time_on_site_seconds', 'INTEGER'),
  col('bounce_rate', 'DOUBLE'),
  col('click_count', 'INTEGER', true),
  col('cart_value', 'DOUBLE'),
  col('items_in_cart', 'INTEGER', true),
  col('support_ticket_id', 'VARCHAR', true),
  col('issue_category', 'VARCHAR', true),
  col('satisfaction_score', 'INTEGER', true),
  col('campaign_id', 'VARCHAR', true),
  col('utm_source', 'VARCHAR', true),
  col('utm_medium', 'VARCHAR', true),
  col('loyalty_member', 'BOOLEAN'),
  col('loyalty_tier', 'VARCHAR', true),
  col('points_earned', 'INTEGER'),
  col('points_redeemed', 'INTEGER'),
  col('data_source', 'VARCHAR'),
  col('data_quality_flag', 'VARCHAR'),
  col('raw_user_agent', 'VARCHAR'),
  col('session_fingerprint', 'VARCHAR'),
  col('interaction_payload', 'VARCHAR'),
];

export const BRONZE_COLUMN_NAMES = BRONZE_COLUMNS.map((c) => c.name);
