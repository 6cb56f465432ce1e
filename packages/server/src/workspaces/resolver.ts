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

/** Workspaces read from a store, each opened on first use and kept until `close`. */
export interface StoreWorkspaces {
  get(id: string): Promise<Workspace>;
  close(): Promise<void>;
}

/**
 * Each workspace from the store: its connections and environments, and its current stored model
 * version. Without a store every id is NOT_FOUND.
 */
export function openStoreWorkspaces(store?: Store): StoreWorkspaces {
  const opened = new Map<string, Workspace>();
  return {
    async get(id) {
      let ws = opened.get(id);
      if (!ws) {
        if (!store || !(await store.workspaces.find(id))) {
          throw new InlayError('NOT_FOUND', `workspace '${id}' not found`);
        }
        // Another request may have opened it while this one awaited the store.
        ws = opened.get(id) ?? createStoreWorkspace({ store, workspaceId: id });
        opened.set(id, ws);
      }
      return ws;
    },
    async close() {
      const all = [...opened.values()];
      opened.clear();
      await Promise.allSettled(all.map((w) => w.close()));
    },
  };
}

/** The primary workspace, and with a store any other one a key names, opened on first use. */
export function createWorkspaceResolver(primary: Workspace, store?: Store): WorkspaceResolver {
  const others = openStoreWorkspaces(store);
  const resolver: WorkspaceResolver = {
    primary,
    get: (id) => (id === primary.id ? Promise.resolve(primary) : others.get(id)),
    of(req) {
      if (!req.caller) return Promise.reject(new InlayError('ACCESS_DENIED', 'no authenticated caller'));
      return resolver.get(req.caller.workspaceId);
    },
    close: () => others.close(),
  };
  return resolver;
}
