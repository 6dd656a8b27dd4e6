// One home for the layer tables' names (runner/src/model/tables.ts): the embedded warehouse folders,
// the DuckDB views and the catalog identifiers of the cluster engines and Spark jobs all derive
// from it, so they cannot drift apart.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { LAYER_TABLES, qualifiedTable, qualifiedTables } from '../../runner/src/model/tables.js';
import { DUCKDB_TABLES, goldGlob, silverGlob } from '../../runner/src/engines/duckdb-engine.js';
import { warehouse } from '../../runner/src/platforms/embedded/warehouse.js';

describe('layer table names', () => {
  it('qualifies a table with its schema, and with the catalog when there is one', () => {
    expect(qualifiedTable('silver')).toBe('silver.customer_interactions_enriched');
    expect(qualifiedTable('gold', 'lakehouse')).toBe('lakehouse.gold.customer_executive_dashboard');
    expect(qualifiedTables('iceberg')).toEqual({ silver: 'iceberg.silver.customer_interactions_enriched', gold: 'iceberg.gold.customer_executive_dashboard' });
  });

  it('names the DuckDB views and the embedded warehouse folders after the same schema and table', () => {
    expect(DUCKDB_TABLES).toEqual(qualifiedTables());
    const w = warehouse('/data/out');
    expect(w.silver).toBe(path.join('/data/out/warehouse', LAYER_TABLES.silver.schema, LAYER_TABLES.silver.name));
    expect(w.gold).toBe(path.join('/data/out/warehouse', LAYER_TABLES.gold.schema, LAYER_TABLES.gold.name));
    expect(silverGlob(path.join('/data/out', 'warehouse'))).toBe(path.join(w.silver, '**', '*.parquet'));
    expect(goldGlob(path.join('/data/out', 'warehouse'))).toBe(path.join(w.gold, '*.parquet'));
  });
});
