/** The demo data set: shapes and the SELECTs that read it from the vega-datasets files with DuckDB. */

/** Bump when the tables' shape or content changes: stores built for another version are rebuilt. */
export const DATA_VERSION = 1;
export const FLIGHT_ROWS = 3_000_000;
export const AIRPORT_ROWS = 3_376;

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Flights in file order; `id` is the 1-based row number in the parquet file. */
export function flightsSelect(parquetPath: string): string {
  return `SELECT (file_row_number + 1)::BIGINT AS id, date::TIMESTAMP AS date, delay::INTEGER AS delay,
      distance::INTEGER AS distance, origin::VARCHAR AS origin, destination::VARCHAR AS destination
    FROM read_parquet(${literal(parquetPath)}, file_row_number = true)
    ORDER BY file_row_number`;
}

export function airportsSelect(csvPath: string): string {
  return `SELECT iata, name, city, state, country, latitude, longitude
    FROM read_csv(${literal(csvPath)}, header = true, auto_detect = false, delim = ',', quote = '"',
      columns = {'iata': 'VARCHAR', 'name': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR',
                 'country': 'VARCHAR', 'latitude': 'DOUBLE', 'longitude': 'DOUBLE'})
    ORDER BY iata`;
}

export const FLIGHTS_COLUMNS = ['id', 'date', 'delay', 'distance', 'origin', 'destination'] as const;
export const AIRPORTS_COLUMNS = [
  'iata',
  'name',
  'city',
  'state',
  'country',
  'latitude',
  'longitude',
] as const;
