export {
  createCatalog,
  type DashboardCatalog,
  type DashboardEntry,
  loadDashboards,
  VERSION_TAGS,
} from './load.js';
export { type DashboardDef, dashboardFileSchema } from './schema.js';
