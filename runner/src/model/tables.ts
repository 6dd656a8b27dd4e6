// The two layer tables every platform writes and every engine reads: one schema and one name each.
// The embedded warehouse folders, the DuckDB views, the catalog identifiers of Trino and the Spark
// Thrift server and the Spark jobs' targets are all built from these.
export const LAYER_TABLES = {
  silver: { schema: 'silver', name: 'customer_interactions_enriched' },
  gold: { schema: 'gold', name: 'customer_executive_dashboard' },
} as const;

export type LayerTableName = keyof typeof LAYER_TABLES;

/**
 * Continuous mode's landing table (docs/pipeline.md §8.1): bronze-ingest appends the new bronze files
 * here with the declared 41-column schema, and silver-stream reads it as its source.
 */
export const BRONZE_RAW_TABLE = { schema: 'default', name: 'bronze_raw' } as const;

/** `schema.table`, or `catalog.schema.table` when a catalog is given. */
export function qualifiedTable(layer: LayerTableName, catalog?: string): string {
  const t = LAYER_TABLES[layer];
  return `${catalog ? `${catalog}.` : ''}${t.schema}.${t.name}`;
}

/** Both layer tables, qualified: what a QueryEngine names as its `tables`. */
export const qualifiedTables = (catalog?: string): { silver: string; gold: string } => ({ silver: qualifiedTable('silver', catalog), gold: qualifiedTable('gold', catalog) });
