// Per-file aggregates of docs/data.md §8.2, summed into the manifest. Money is counted in integer cents
// so that every later stage can check itself exactly.

export type RowFacts = {
  tsUs: number;
  itype: string;
  flag: string;
  channel: string;
  cents: number;
  productNull: boolean;
  deviceNull: boolean;
  satisfactionSet: boolean;
};

export type Aggregates = {
  rows_by_interaction_type: Record<string, number>;
  rows_by_data_quality_flag: Record<string, number>;
  rows_by_channel: Record<string, number>;
  rows_by_flag_and_type: Record<string, number>;
  amount_cents_total: number;
  amount_cents_by_flag: Record<string, number>;
  rows_by_month_excluding_duplicates: Record<string, number>;
  rows_product_id_null: number;
  rows_device_type_null: number;
  rows_satisfaction_set: number;
};

export const emptyAggregates = (): Aggregates => ({
  rows_by_interaction_type: {},
  rows_by_data_quality_flag: {},
  rows_by_channel: {},
  rows_by_flag_and_type: {},
  amount_cents_total: 0,
  amount_cents_by_flag: {},
  rows_by_month_excluding_duplicates: {},
  rows_product_id_null: 0,
  rows_device_type_null: 0,
  rows_satisfaction_set: 0,
});

const bump = (m: Record<string, number>, k: string, by = 1) => {
  m[k] = (m[k] ?? 0) + by;
};

export class FileAggregates {
  readonly value = emptyAggregates();
  tsMinUs = Infinity;
  tsMaxUs = -Infinity;

  add(f: RowFacts): void {
    const a = this.value;
    bump(a.rows_by_interaction_type, f.itype);
    bump(a.rows_by_data_quality_flag, f.flag);
    bump(a.rows_by_channel, f.channel);
    bump(a.rows_by_flag_and_type, `${f.flag}|${f.itype}`);
    a.amount_cents_total += f.cents;
    bump(a.amount_cents_by_flag, f.flag, f.cents);
    if (f.flag !== 'duplicate_suspected') bump(a.rows_by_month_excluding_duplicates, new Date(f.tsUs / 1000).toISOString().slice(0, 7));
    if (f.productNull) a.rows_product_id_null++;
    if (f.deviceNull) a.rows_device_type_null++;
    if (f.satisfactionSet) a.rows_satisfaction_set++;
    if (f.tsUs < this.tsMinUs) this.tsMinUs = f.tsUs;
    if (f.tsUs > this.tsMaxUs) this.tsMaxUs = f.tsUs;
  }
}

/** Sums aggregates. Counts and cents stay below 2^53 up to scale 10,000 (≈ 7e13 cents), so numbers are exact. */
export function sumAggregates(parts: readonly Aggregates[]): Aggregates {
  const total = emptyAggregates();
  const addMap = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, v] of Object.entries(from)) bump(into, k, v);
  };
  for (const p of parts) {
    addMap(total.rows_by_interaction_type, p.rows_by_interaction_type);
    addMap(total.rows_by_data_quality_flag, p.rows_by_data_quality_flag);
    addMap(total.rows_by_channel, p.rows_by_channel);
    addMap(total.rows_by_flag_and_type, p.rows_by_flag_and_type);
    total.amount_cents_total += p.amount_cents_total;
    addMap(total.amount_cents_by_flag, p.amount_cents_by_flag);
    addMap(total.rows_by_month_excluding_duplicates, p.rows_by_month_excluding_duplicates);
    total.rows_product_id_null += p.rows_product_id_null;
    total.rows_device_type_null += p.rows_device_type_null;
    total.rows_satisfaction_set += p.rows_satisfaction_set;
  }
  return sortMaps(total);
}

function sortMaps(a: Aggregates): Aggregates {
  const sorted = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).sort(([x], [y]) => (x < y ? -1 : 1)));
  return {
    ...a,
    rows_by_interaction_type: sorted(a.rows_by_interaction_type),
    rows_by_data_quality_flag: sorted(a.rows_by_data_quality_flag),
    rows_by_channel: sorted(a.rows_by_channel),
    rows_by_flag_and_type: sorted(a.rows_by_flag_and_type),
    amount_cents_by_flag: sorted(a.amount_cents_by_flag),
    rows_by_month_excluding_duplicates: sorted(a.rows_by_month_excluding_duplicates),
  };
}
