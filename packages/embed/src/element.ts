/// <reference lib="dom" />
import type { ClientContext, ComponentDefinition, DashboardDocument, DashboardWidget } from '@inlay/core';
import {
  DataBridge,
  EmbedError,
  fetchDashboard,
  fetchMembers,
  isRenewal,
  type MemberInfo,
  type Preview,
  tokenExpiry,
} from './api.js';
import { DrillModal, drillContexts, type WidgetDrill } from './drilldown.js';
import { componentLoader, type ProjectComponents } from './project-components.js';
import { initialVariables, type Variables } from './resolve.js';
import { BASE_CSS } from './styles.js';
import { resolveTheme, type Theme, themeCss } from './theme.js';
import { type ComponentLoader, WidgetView } from './widget.js';

/** Components by name, each loaded on first use (one chunk per component). */
export type ComponentRegistry = Record<string, ComponentLoader>;

/** The script's own origin: where `inlay.js` came from is the Inlay server to talk to. */
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

/** `setTimeout` holds at most 2^31-1 ms (about 24.8 days); tokens live up to 30 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const EXPIRY_WARNING_MS = 60_000;

const ATTRIBUTES = ['token', 'base-url', 'client-context', 'variables', 'widget-id'] as const;
const PROPERTIES = ['token', 'baseUrl', 'clientContext', 'variables', 'widgetId', 'preview'] as const;

let baseSheet: CSSStyleSheet | undefined;
/** One sheet per component definition, shared by every embed on the page. */
const componentSheets = new WeakMap<ComponentDefinition, CSSStyleSheet>();

function sheetOf(css: string): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}

function parseJson(value: unknown, what: string): Record<string, unknown> {
  if (value === null || value === undefined || value === '') return {};
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EmbedError(`${what} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * The behaviour shared by `<inlay-dashboard>` and `<inlay-component>`: attributes and
 * properties, the dashboard document, variables, the data bridge, theme, events.
 */
export abstract class InlayEmbed extends HTMLElement {
  static observedAttributes = [...ATTRIBUTES];
  protected abstract readonly registry: ComponentRegistry;
  /** The widgets this element shows, in reading order. */
  protected abstract pickWidgets(doc: DashboardDocument): DashboardWidget[];
  protected abstract readonly single: boolean;

  #token = '';
  #baseUrl: string | undefined;
  #clientContext: ClientContext = {};
  #hostVariables: Variables = {};
  #widgetId: string | undefined;
  #preview: Preview | undefined;

  #root: HTMLElement | undefined;
  #layoutSheet = new CSSStyleSheet();
  #themeSheet = new CSSStyleSheet();
  #theme: Theme = resolveTheme({});
  #doc: DashboardDocument | undefined;
  /** The project components of the dashboard's pinned version, from its answer. */
  #projectComponents: ProjectComponents | undefined;
  #members = new Map<string, MemberInfo>();
  #variables: Variables = {};
  #widgets: WidgetView[] = [];
  // Every request is reported, token or preview: one event per request, no listener needed.
  #bridge = new DataBridge(
    () => this.#connection(),
    (report) => this.#emit('inlay:request', report),
  );
  /** Bumped by each (re)load: answers of an older load are ignored. */
  #generation = 0;
  #round = 0;
  #loadQueued = false;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The drill-down modal, on the embed the host placed (levels inside it hand their drills up). */
  #modal: DrillModal | undefined;

  // ---- attributes and properties --------------------------------------------------------

  attributeChangedCallback(name: string, old: string | null, value: string | null) {
    if (old === value) return;
    if (name === 'token') this.token = value ?? '';
    else if (name === 'base-url') this.baseUrl = value ?? '';
    else if (name === 'client-context') this.clientContext = value;
    else if (name === 'variables') this.variables = value;
    else if (name === 'widget-id') this.widgetId = value ?? '';
  }

  get token(): string {
    return this.#token;
  }
  set token(value: string) {
    if (value === this.#token) return;
    const previous = this.#token;
    this.#token = value ?? '';
    this.#scheduleExpiryWarning();
    // A renewal (same claims, later expiry): later requests read it and nothing reloads. Another
    // customer, dashboard or context: everything on screen belonged to the old token, so reload.
    if (!this.#doc || !isRenewal(previous, this.#token)) this.#queueLoad();
  }

  get baseUrl(): string {
    return (this.#baseUrl || SCRIPT_ORIGIN).replace(/\/+$/, '');
  }
  set baseUrl(value: string) {
    if (value === this.#baseUrl) return;
    this.#baseUrl = value || undefined;
    this.#queueLoad();
  }

  get clientContext(): ClientContext {
    return this.#clientContext;
  }
  set clientContext(value: ClientContext | string | null) {
    try {
      this.#clientContext = parseJson(value, 'client-context');
    } catch (err) {
      this.#error(err);
      return;
    }
    this.#applyTheme();
    this.#modal?.setClientContext(this.#clientContext);
    if (this.#doc) void this.#refresh(performance.now());
  }

  get variables(): Variables {
    return this.#hostVariables;
  }
  set variables(value: Variables | string | null) {
    try {
      this.#hostVariables = parseJson(value, 'variables');
    } catch (err) {
      this.#error(err);
      return;
    }
    if (!this.#doc) return;
    this.#variables = { ...this.#variables, ...this.#hostVariables };
    void this.#refresh(performance.now());
  }

  get widgetId(): string | undefined {
    return this.#widgetId;
  }
  set widgetId(value: string) {
    if (value === this.#widgetId) return;
    this.#widgetId = value || undefined;
    this.#queueLoad();
  }

  /**
   * The builder's preview (a property only): shows `document` instead of the token's dashboard,
   * with data asked for through the signed-in session as `as` (security context, roles,
   * environment). Setting it again (an edit, another customer) shows the new one.
   */
  get preview(): Preview | undefined {
    return this.#preview;
  }
  set preview(value: Preview | undefined) {
    if (value === this.#preview) return;
    this.#preview = value ?? undefined;
    this.#queueLoad();
  }

  #connection() {
    // A drill-down level asks with the host's embed's token (renewals included) and its path.
    const drill = drillContexts.get(this);
    if (drill) {
      const { top, path } = drill;
      return { baseUrl: top.baseUrl, token: () => top.token, preview: this.#preview, drill: path };
    }
    return { baseUrl: this.baseUrl, token: () => this.#token, preview: this.#preview };
  }

  // ---- lifecycle ------------------------------------------------------------------------

  connectedCallback() {
    if (!this.shadowRoot) {
      const shadow = this.attachShadow({ mode: 'open' });
      baseSheet ??= sheetOf(BASE_CSS);
      shadow.adoptedStyleSheets = [baseSheet, this.#themeSheet, this.#layoutSheet];
      this.#root = document.createElement('div');
      this.#root.className = this.single ? 'root single' : 'root';
      shadow.append(this.#root);
      this.#applyTheme();
    }
    // A property set on the element before this script defined it shadows our accessor: move it.
    for (const prop of PROPERTIES) {
      if (Object.hasOwn(this, prop)) {
        const value = (this as Record<string, unknown>)[prop];
        delete (this as Record<string, unknown>)[prop];
        (this as Record<string, unknown>)[prop] = value;
      }
    }
    this.#scheduleExpiryWarning();
    this.#queueLoad();
  }

  disconnectedCallback() {
    this.#generation++;
    this.#clearWidgets();
    clearTimeout(this.#expiryTimer);
    this.#modal?.close();
    this.#doc = undefined;
  }

  /** Several attribute changes in one task make one load. */
  #queueLoad() {
    if (this.#loadQueued || !this.isConnected) return;
    this.#loadQueued = true;
    queueMicrotask(() => {
      this.#loadQueued = false;
      if (this.isConnected) void this.#load();
    });
  }

  async #load() {
    const started = performance.now();
    const generation = ++this.#generation;
    // Another token, dashboard or preview: what the modal shows belonged to the old one.
    this.#modal?.close();
    this.#clearWidgets();
    this.#doc = undefined;
    const root = this.#root!;
    root.setAttribute('aria-busy', 'true');
    // No token yet: the host sets it later (frameworks set properties after mounting); wait quietly.
    if (!this.#connection().token() && !this.#preview) {
      root.setAttribute('aria-busy', 'false');
      return;
    }
    const conn = this.#connection();
    const preview = conn.preview;
    let doc: DashboardDocument;
    try {
      const [answer, members] = await Promise.all([
        preview ? { dashboard: preview.document } : fetchDashboard(conn),
        // Only classifies `select` members and gives titles: a dashboard still works without it.
        fetchMembers(conn).catch(() => new Map<string, MemberInfo>()),
      ]);
      if (generation !== this.#generation) return;
      doc = answer.dashboard;
      this.#projectComponents = 'components' in answer ? answer : undefined;
      this.#members = members;
    } catch (err) {
      if (generation !== this.#generation) return;
      root.setAttribute('aria-busy', 'false');
      return this.#error(err);
    }
    let widgets: DashboardWidget[];
    try {
      widgets = this.pickWidgets(doc);
    } catch (err) {
      root.setAttribute('aria-busy', 'false');
      return this.#error(err);
    }
    this.#doc = doc;
    drillContexts.get(this)?.onDocument(doc);
    this.#variables = initialVariables(doc, this.#hostVariables);
    this.#layout(widgets);
    root.setAttribute('aria-busy', 'false');

    const round = ++this.#round;
    const mounted = this.#widgets.map(async (view) => {
      const name = view.widget.component;
      const ok = await view.mount(
        componentLoader(this.registry, name, this.#projectComponents, conn.baseUrl),
      );
      if (ok && generation === this.#generation) this.#adoptStyles(view.definitionStyles);
      return ok;
    });
    void Promise.all(mounted).then(() => {
      if (generation === this.#generation) this.#emit('componentsLoad', {});
    });
    await Promise.all(mounted.map((m, i) => m.then((ok) => (ok ? this.#widgets[i]?.update() : undefined))));
    if (generation === this.#generation && round === this.#round) {
      this.#emit('dataLoad', { ms: Math.round(performance.now() - started) });
    }
  }

  /** Every widget again with the current variables; `dataLoad` once all have their data. */
  async #refresh(started: number) {
    const generation = this.#generation;
    const round = ++this.#round;
    await Promise.all(this.#widgets.filter((w) => w.mounted).map((w) => w.update()));
    if (generation === this.#generation && round === this.#round) {
      this.#emit('dataLoad', { ms: Math.round(performance.now() - started) });
    }
  }

  #layout(widgets: DashboardWidget[]) {
    const host = {
      doc: this.#doc!,
      variables: () => this.#variables,
      clientContext: () => this.#clientContext,
      theme: () => this.#theme,
      members: () => this.#members,
      bridge: this.#bridge,
      setVariable: (name: string, value: unknown) => this.#setVariable(name, value),
      drilldown: (drill: WidgetDrill) => this.#drilldown(drill),
      reportError: (err: EmbedError) => this.#emitError(err),
    };
    this.#widgets = widgets.map((w, i) => new WidgetView(w, host, i));
    const rules = widgets.map((w, i) => {
      const x = Math.min(Math.max(0, w.position.x), 11);
      const width = Math.min(Math.max(1, w.dimensions.width), 12 - x);
      const height = Math.max(1, w.dimensions.height);
      return this.single
        ? `.w${i} { --inlay-rows: ${height}; }`
        : `.w${i} { grid-column: ${x + 1} / span ${width}; grid-row: ${w.position.y + 1} / span ${height}; --inlay-rows: ${height}; }`;
    });
    this.#layoutSheet.replaceSync(rules.join('\n'));
    const container = document.createElement('div');
    container.className = this.single ? 'single-widget' : 'grid';
    container.append(...this.#widgets.map((w) => w.element));
    this.#root!.replaceChildren(container);
  }

  #setVariable(name: string, value: unknown) {
    this.#variables = { ...this.#variables, [name]: value };
    this.#emit('variablesChange', [{ variableName: name, newValue: value }]);
    void this.#refresh(performance.now());
  }

  /** The modal belongs to the host's embed, so a drill inside it stacks there. */
  #drilldown(fired: WidgetDrill) {
    const drill = drillContexts.get(this);
    const top = (drill?.top ?? this) as InlayEmbed;
    top.#modal ??= new DrillModal(top);
    const reportError = (err: EmbedError) => this.#emitError(err);
    top.#modal.request({ ...fired, path: drill?.path ?? [], from: this.#doc?.id ?? '', reportError });
  }

  #adoptStyles(css: { definition: ComponentDefinition; styles: string } | undefined) {
    if (!css || !this.shadowRoot) return;
    let sheet = componentSheets.get(css.definition);
    if (!sheet) {
      sheet = sheetOf(css.styles);
      componentSheets.set(css.definition, sheet);
    }
    const sheets = this.shadowRoot.adoptedStyleSheets;
    // Component CSS before the theme and layout sheets, after the base one.
    if (!sheets.includes(sheet)) this.shadowRoot.adoptedStyleSheets = [sheets[0]!, sheet, ...sheets.slice(1)];
  }

  #applyTheme() {
    this.#theme = resolveTheme(this.#clientContext);
    this.#themeSheet.replaceSync(themeCss(this.#theme));
  }

  #clearWidgets() {
    for (const w of this.#widgets) w.destroy();
    this.#widgets = [];
  }

  #scheduleExpiryWarning() {
    clearTimeout(this.#expiryTimer);
    const expiresAt = tokenExpiry(this.#token);
    if (expiresAt === undefined || !this.isConnected) return;
    const token = this.#token;
    const arm = () => {
      const wait = expiresAt - EXPIRY_WARNING_MS - Date.now();
      this.#expiryTimer = setTimeout(
        () => {
          if (wait > MAX_TIMER_MS) return arm();
          if (this.#token === token)
            this.#emit('tokenExpiring', { expiresAt: new Date(expiresAt).toISOString() });
        },
        Math.min(Math.max(0, wait), MAX_TIMER_MS),
      );
    };
    arm();
  }

  /** A page-level failure: the embed shows it (role=alert) and tells the host. */
  #error(err: unknown) {
    const error =
      err instanceof EmbedError ? err : new EmbedError(err instanceof Error ? err.message : String(err));
    if (this.#root && !this.#doc) {
      const p = document.createElement('p');
      p.className = 'error page-error';
      p.setAttribute('role', 'alert');
      p.textContent = `This dashboard could not be shown: ${error.message}`;
      this.#root.replaceChildren(p);
    }
    this.#emitError(error);
  }

  #emitError(error: EmbedError) {
    this.#emit('embeddableError', { errorMessage: error.message, errorDetail: error.detail ?? null });
  }

  #emit(type: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
