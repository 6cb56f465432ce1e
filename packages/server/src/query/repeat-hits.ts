import type { TokenClaims } from '@inlay/core';
import type { SemanticModel } from '@inlay/engine';
import type { CachedResult, CacheInfo, L1 } from '../cache/index.js';
import type { DashboardSource, ResolvedDashboard } from '../dashboards/index.js';
import type { Preaggs } from '../preaggs/index.js';
import type { SourceMap, Workspace } from '../workspaces/index.js';
import type { RepeatRoute } from './answer.js';

/** What a token's `/load` was answered from: the full path's own values. */
export interface ResolvedLoad {
  workspace: Workspace;
  modelVersion: string | undefined;
  dashboard: ResolvedDashboard;
  model: SemanticModel;
  sources: SourceMap;
}

/**
 * The promises the dashboard source and the workspace hand out for a request's dashboard, model
 * and source map. Each keeps handing out the same promise while what it holds is current (until
 * its TTL, or at once when this process changes it), so "the same promise" means "nothing changed".
 */
interface Stamp {
  workspace: Workspace;
  modelVersion: string | undefined;
  dashboard: Promise<ResolvedDashboard>;
  model: Promise<SemanticModel>;
  sources: Promise<SourceMap>;
  route: RepeatRoute;
}

/**
 * A dashboard asks the same few queries with the same token again and again. The first answer
 * resolves the token's dashboard, model and sources, checks the query's scope, compiles (against a
 * rollup when one answers) and finds the L1 key; a repeat with the very same claims object (one per
 * verified token) and the very same body object (one per distinct body text, frozen) goes straight
 * to that key, as long as every step would still resolve to the same thing:
 * - the dashboard source, the workspace's model and its source map hand out the same promises
 *   (a dashboard published or deleted, a model pushed, a connection remapped: a new promise);
 * - an answer read from a rollup is still served from the same table version, built from the same
 *   connection version;
 * - compiling did not read the clock and no `refresh_key.sql` decides freshness (`answerLoad` says).
 * Anything else, and any entry L1 does not hold fresh in this process, takes the full path. A
 * drill-down (its own dashboard path) always takes it too.
 *
 * Tenants never meet here: entries hang off one token's claims object, and the key they lead to is
 * the full path's, built from the SQL and the security context's bound parameters.
 */
export class RepeatHits {
  private readonly byClaims = new WeakMap<TokenClaims, WeakMap<object, Stamp>>();

  constructor(
    private readonly l1: L1,
    private readonly dashboards: DashboardSource,
    private readonly preaggs: Preaggs | undefined,
  ) {}

  /** A fresh L1 answer to a repeat of a request already answered with these claims and this body. */
  answer(claims: TokenClaims, body: object): { entry: CachedResult; cache: CacheInfo } | undefined {
    const stamp = this.byClaims.get(claims)?.get(body);
    if (!stamp || !this.current(claims, stamp)) return undefined;
    return this.l1.results.peekFresh(stamp.route.key, stamp.route.everyMs);
  }

  /**
   * After a full answer: remembered only when the promises handed out now resolve to exactly what
   * that answer used (a change that landed while it ran is not mistaken for the state it saw).
   */
  async remember(claims: TokenClaims, body: object, used: ResolvedLoad, route: RepeatRoute): Promise<void> {
    if (!Object.isFrozen(body)) return;
    try {
      const stamp: Stamp = {
        workspace: used.workspace,
        modelVersion: used.modelVersion,
        dashboard: this.dashboards.resolve(claims.workspaceId, claims.embeddableId, claims.savedVersion),
        model: used.workspace.getModel(used.modelVersion),
        sources: used.workspace.sources(route.environment),
        route,
      };
      const [dashboard, model, sources] = await Promise.all([stamp.dashboard, stamp.model, stamp.sources]);
      if (dashboard !== used.dashboard || model !== used.model || sources !== used.sources) return;
      let bodies = this.byClaims.get(claims);
      if (!bodies) {
        bodies = new WeakMap();
        this.byClaims.set(claims, bodies);
      }
      bodies.set(body, stamp);
    } catch {
      // Whatever failed will fail the next full answer too; nothing is remembered.
    }
  }

  private current(claims: TokenClaims, stamp: Stamp): boolean {
    const { workspace, route } = stamp;
    if (
      !same(
        this.dashboards.resolve(claims.workspaceId, claims.embeddableId, claims.savedVersion),
        stamp.dashboard,
      )
    )
      return false;
    if (!same(workspace.getModel(stamp.modelVersion), stamp.model)) return false;
    if (!same(workspace.sources(route.environment), stamp.sources)) return false;
    const rollup = route.rollup;
    return (
      !rollup ||
      this.preaggs?.reader.serves(claims.workspaceId, route.environment, rollup.def, rollup) === true
    );
  }
}

/** Whether a promise handed out now is the one handed out then (nothing changed). */
function same<T>(now: Promise<T>, then: Promise<T>): boolean {
  if (now === then) return true;
  // A new promise is the full path's business; its failure must not go unhandled here.
  now.catch(() => {});
  return false;
}
