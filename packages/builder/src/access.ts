import type { Role } from './api.js';

/** Editors and admins change dashboards; viewers look (the server refuses them with a 403 anyway). */
export const canEdit = (role: Role) => role === 'editor' || role === 'admin';
