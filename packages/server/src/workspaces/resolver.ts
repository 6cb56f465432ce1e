import { InlayError } from '@inlay/core';
import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import { createStoreWorkspace } from './store-workspace.js';
import type { Workspace } from './workspace.js';

/** The workspaces one app serves: the one it was built with, and with a store any other one a key names. */
export interface WorkspaceResolver {
  readonly primary: Workspace;
  get(id: string): Promise<Workspace>;
  /** The workspace of the authenticated caller (the auth hook set `req.caller`). */
  of(req: FastifyRequest): Promise<Workspace>;
  close(): Promise<void>;
}

/**
 * Other workspaces are opened on first use, from the store: their connections and environments,
 * and their current stored model version. Without a store only the primary exists.
 */
export function createWorkspaceResolver(primary: Workspace, store?: Store): WorkspaceResolver {
  const others = new Map<string, Workspace>();
  const resolver: WorkspaceResolver = {
    primary,
    async get(id) {
      if (id === primary.id) return primary;
      let ws = others.get(id);
      if (!ws) {
        if (!store || !(await store.workspaces.find(id))) {
          throw new InlayError('NOT_FOUND', `workspace '${id}' not found`);
        }
        ws = others.get(id) ?? createStoreWorkspace({ store, workspaceId: id });
        others.set(id, ws);
      }
      return ws;
    },
    of(req) {
      if (!req.caller) return Promise.reject(new InlayError('ACCESS_DENIED', 'no authenticated caller'));
      return resolver.get(req.caller.workspaceId);
    },
    async close() {
      const all = [...others.values()];
      others.clear();
      await Promise.allSettled(all.map((w) => w.close()));
    },
  };
  return resolver;
}
