/**
 * Where an environment runs a data source: the connection and its version
 * (`<connection>@<updated_at>`), recorded with every built partition and compared before a table
 * is served, so a remapped environment or changed credentials never serve old rows.
 */
export interface RollupSource {
  connection: string;
  key: string;
}

/** The source of a workspace's data source in an environment; undefined when nothing maps it. */
export type SourceLookup = (
  workspaceId: string,
  environment: string,
  dataSource: string,
) => Promise<RollupSource | undefined>;

/**
 * A fresh lookup for one pass (a reader refresh, a scheduler plan). Handed in by whoever builds
 * the pre-aggregations (the app, the worker), which resolve environments as queries do
 * (`workspaces/sources.ts`): this folder, a cache below the workspaces, never reads them itself.
 */
export type SourceLookups = () => SourceLookup;
