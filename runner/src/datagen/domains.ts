// Value domains and weights of docs/data.md §5–6. Weights are cumulative where a distribution is skewed.

export const INTERACTION_TYPES = ['purchase', 'browse', 'support', 'login', 'abandoned_cart'] as const;
export const INTERACTION_CUMULATIVE = [0.18, 0.53, 0.65, 0.85, 1.0];
export const PRODUCT_CATEGORIES = ['electronics', 'clothing', 'home_garden', 'books', 'sports'] as const;
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD'] as const;
export const CHANNELS = ['web', 'mobile_app', 'store', 'call_center', 'social_media'] as const;
export const OFFLINE_CHANNELS: ReadonlySet<string> = new Set(['store', 'call_center']);
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet'] as const;
export const BROWSERS = ['chrome', 'safari', 'firefox', 'edge'] as const;
export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'hotmail.com'] as const;
export const ISSUE_CATEGORIES = ['billing', 'technical', 'general_inquiry'] as const;
export const UTM_SOURCES = ['google', 'facebook', 'email', 'direct'] as const;
export const UTM_MEDIUMS = ['cpc', 'organic', 'referral'] as const;
export const DATA_SOURCES = ['primary_system', 'legacy_import', 'manual_entry', 'third_party_api'] as const;
export const DATA_SOURCE_CUMULATIVE = [0.7, 0.85, 0.95, 1.0];
export const QUALITY_FLAGS = ['clean', 'duplicate_suspected', 'incomplete_data', 'format_inconsistent'] as const;
export const QUALITY_FLAG_CUMULATIVE = [0.92, 0.94, 0.97, 1.0];
export const UA_OS = ['Windows NT 10.0', 'macOS 14.0', 'Linux', 'iOS 17', 'Android 14'] as const;

/** The 22 (city, state) pairs of docs/data.md §5.4, with their deliberate naming inconsistencies. */
export const CITY_STATE_PAIRS: readonly (readonly [string, string])[] = [
  ['New York', 'NY'],
  ['NYC', 'New York'],
  ['New York City', 'NY'],
  ['Los Angeles', 'CA'],
  ['Los Angeles', 'California'],
  ['LA', 'California'],
  ['Chicago', 'IL'],
  ['Chicago', 'Illinois'],
  ['Houston', 'TX'],
  ['Houston', 'Texas'],
  ['Phoenix', 'AZ'],
  ['Phoenix', 'Arizona'],
  ['Philadelphia', 'PA'],
  ['Philly', 'Pennsylvania'],
  ['San Antonio', 'TX'],
  ['San Antonio', 'Texas'],
  ['San Diego', 'CA'],
  ['San Diego', 'California'],
  ['Dallas', 'TX'],
  ['Dallas', 'Texas'],
  ['San Jose', 'CA'],
  ['San Jose', 'California'],
];

export const CITY_MISSPELLINGS: Readonly<Record<string, string>> = {
  Chicago: 'Chicgao',
  'New York': 'Newyork',
  'New York City': 'Newyork City',
  NYC: 'Nyc',
  Phoenix: 'Pheonix',
  'Los Angeles': 'Los Angelas',
  LA: 'La',
  Houston: 'Huston',
  Philadelphia: 'Philidelphia',
  Philly: 'Phily',
};

export const STATE_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  CA: ['california', 'CALIFORNIA', 'Calif.', 'Ca'],
  California: ['CA', 'ca', 'Calif.', 'CALIFORNIA'],
  NY: ['new york', 'NEW YORK', 'N.Y.', 'Ny'],
  'New York': ['new york', 'NEW YORK', 'ny', 'N.Y.'],
  IL: ['illinois', 'ILLINOIS', 'Ill.', 'Il'],
  Illinois: ['IL', 'il', 'Ill.', 'ILLINOIS'],
  TX: ['texas', 'TEXAS', 'Tex.', 'Tx'],
  Texas: ['TX', 'tx', 'Tex.', 'TEXAS'],
  AZ: ['arizona', 'ARIZONA', 'Ariz.', 'Az'],
  Arizona: ['AZ', 'az', 'Ariz.', 'ARIZONA'],
  PA: ['pennsylvania', 'PENNSYLVANIA', 'Penn.', 'Pa'],
  Pennsylvania: ['PA', 'pa', 'Penn.', 'PENNSYLVANIA'],
};

export const EMAIL_DIRT_MODES = ['drop-at', 'upper', 'padded', 'double-at', 'no-tld', 'at-word'] as const;
export const PHONE_DIRT_MODES = ['digits-only', 'dashed', 'truncated', 'letter-o'] as const;
