import { defineConfig } from '@inlay/sdk/config';

export default defineConfig({
  // The flights demo data: its setup builds .inlay/flights.duckdb (or $INLAY_DATA_DIR) on first
  // use and offers it as the connection, so the project runs with no database set up. For your
  // own database, replace this line with a connection, e.g.
  //   connection: { type: 'postgres', credentials: { url: 'postgres://reader@db.example.com/analytics' } },
  //   connection: { type: 'duckdb', credentials: { path: 'data/warehouse.duckdb' } },
  setup: '@inlay/example-flights/setup',
});
