export {
  createCatalog,
  DASHBOARD_FILE,
  type DashboardCatalog,
  type DashboardEntry,
  loadDashboards,
  parseDashboardFiles,
  VERSION_TAGS,
} from './load.js';
export {
  catalogSource,
  type DashboardSource,
  type ResolvedDashboard,
  type StoreDashboardSource,
  storeSource,
} from './source.js';
export { type PublishedDashboard, publishDashboards, storedDefinition } from './sync.js';
