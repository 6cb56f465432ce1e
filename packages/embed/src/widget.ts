/// <reference lib="dom" />
import type {
  ClientContext,
  ComponentDefinition,
  DashboardDocument,
  DashboardWidget,
  DataResponse,
  LoadDataRequest,
} from '@inlay/core';
import { Component, type ComponentChildren, type FunctionComponent, h, render } from 'preact';
import { type DataBridge, EmbedError, type MemberInfo } from './api.js';
import type { WidgetDrill } from './drilldown.js';
import { buildQuery, isLoadDataRequest, type MemberKind, queryKey } from './query.js';
import { resolveWidgetInputs, unwrapValue, type Variables } from './resolve.js';
import { whenSettled } from './settled.js';
import type { Theme } from './theme.js';

/** What a widget needs from the element that holds it. */
export interface WidgetHost {
  readonly doc: DashboardDocument;
  variables(): Variables;
  clientContext(): ClientContext;
  theme(): Theme;
  members(): Map<string, MemberInfo>;
  readonly bridge: DataBridge;
  /** A `SET_VARIABLE` event of this widget fired. */
  setVariable(name: string, value: unknown): void;
  /** A `DRILLDOWN` event of this widget fired; focus returns to `trigger` when its modal closes. */
  drilldown(drill: WidgetDrill): void;
  reportError(error: EmbedError): void;
}

export type ComponentLoader = () => Promise<{ default: ComponentDefinition }>;

/** Catches a component's render error so one broken widget does not take the dashboard down. */
class Boundary extends Component<{ onError: (e: unknown) => void; children?: ComponentChildren }> {
  override componentDidCatch(error: unknown) {
    this.props.onError(error);
  }
  override render() {
    return this.props.children;
  }
}

/**
 * One widget: its chrome (`aria-busy` while loading, `role=alert` on error), its component
 * (loaded from the registry, rendered with preact) and the data its `loadData` props ask for.
 */
export class WidgetView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly alert: HTMLElement;
  private definition: ComponentDefinition | undefined;
  private state: unknown;
  /** Answers by query key, so a pass that asks the same query again does not refetch. */
  private answers = new Map<string, DataResponse>();
  private pass: AbortController | undefined;

  constructor(
    readonly widget: DashboardWidget,
    private readonly host: WidgetHost,
    index: number,
  ) {
    this.element = document.createElement('section');
    this.element.className = `widget w${index}`;
    this.element.dataset.widgetId = widget.id;
    this.element.setAttribute('aria-busy', 'true');
    this.alert = document.createElement('p');
    this.alert.className = 'error';
    this.alert.setAttribute('role', 'alert');
    this.alert.hidden = true;
    this.body = document.createElement('div');
    this.body.className = 'body';
    const status = document.createElement('p');
    status.className = 'status';
    status.setAttribute('role', 'status');
    status.textContent = 'Loading…';
    this.body.append(status);
    this.element.append(this.alert, this.body);
  }

  /** Loads the component module; false (with the widget in its error state) when it cannot. */
  async mount(loader: ComponentLoader | undefined): Promise<boolean> {
    try {
      if (!loader) throw new EmbedError(`unknown component '${this.widget.component}'`);
      const mod = await loader();
      this.definition = mod.default;
      if (!this.definition?.Component)
        throw new EmbedError(`'${this.widget.component}' exports no component`);
      this.state = undefined;
      return true;
    } catch (err) {
      this.fail(err, `widget '${this.widget.id}' (${this.widget.component}) could not be loaded`);
      return false;
    }
  }

  /** The component's CSS, for the element to adopt into its shadow root. */
  get definitionStyles(): { definition: ComponentDefinition; styles: string } | undefined {
    const definition = this.definition;
    return definition?.styles ? { definition, styles: definition.styles } : undefined;
  }

  get mounted(): boolean {
    return this.definition !== undefined;
  }

  /**
   * Resolves inputs with the current variables, renders, and runs the loads the props ask for.
   * Settles when every load of this pass has answered (or failed, or was superseded) and what
   * they drew has finished drawing.
   */
  async update(): Promise<void> {
    const definition = this.definition;
    if (!definition) return;
    // The previous pass is let go only after this one asked for its loads: a query both ask
    // for keeps its request in flight instead of being aborted and sent again.
    const previous = this.pass;
    const pass = new AbortController();
    this.pass = pass;
    let props: Record<string, unknown>;
    try {
      const inputs = resolveWidgetInputs(this.widget, definition.meta, this.host.doc, this.host.variables());
      props = definition.config.props
        ? definition.config.props(inputs, [this.state, this.setState], this.host.clientContext())
        : inputs;
    } catch (err) {
      previous?.abort();
      this.fail(err, `widget '${this.widget.id}': its inputs could not be resolved`);
      return;
    }
    const requests = Object.entries(props).filter((e): e is [string, LoadDataRequest] =>
      isLoadDataRequest(e[1]),
    );
    const keys = new Map<string, string>();
    const next = new Map<string, DataResponse>();
    const pending: Promise<void>[] = [];
    const kindOf = (name: string): MemberKind | undefined => this.host.members().get(name)?.kind;
    for (const [prop, request] of requests) {
      const query = buildQuery(request, this.host.clientContext(), kindOf);
      const key = queryKey(query);
      keys.set(prop, key);
      const known = this.answers.get(key) ?? next.get(key);
      if (known && !known.isLoading) {
        next.set(key, known);
        continue;
      }
      next.set(key, { isLoading: true });
      const origin = { widgetId: this.widget.id, dataset: request.from.datasetName };
      pending.push(
        this.host.bridge.load(query, pass.signal, origin).then(
          (answer) => {
            const response: DataResponse = {
              isLoading: false,
              data: answer.data,
              annotation: answer.annotation,
            };
            if (answer.total !== undefined) response.total = answer.total;
            next.set(key, response);
          },
          (err: unknown) => {
            if (pass.signal.aborted) return;
            const message = err instanceof Error ? err.message : String(err);
            next.set(key, { isLoading: false, error: message });
            this.host.reportError(
              new EmbedError(`widget '${this.widget.id}': ${message}`, {
                widgetId: this.widget.id,
                ...(err instanceof EmbedError && typeof err.detail === 'object' ? err.detail : {}),
              }),
            );
          },
        ),
      );
    }
    previous?.abort();
    this.answers = next;
    const draw = () => {
      const finalProps = { ...props };
      for (const [prop, key] of keys) finalProps[prop] = this.answers.get(key);
      this.draw(finalProps);
    };
    draw();
    await Promise.all(pending.map((p) => p.then(() => !pass.signal.aborted && draw())));
    // Rendered is drawn: a chart whose library is still arriving holds this pass (and `dataLoad`).
    if (!pass.signal.aborted) await whenSettled(this.body);
  }

  private readonly setState = (next: unknown) => {
    this.state = typeof next === 'function' ? (next as (s: unknown) => unknown)(this.state) : next;
    void this.update();
  };

  /**
   * Component callbacks for the events the widget configures (only those: a component can tell
   * that a click does something, e.g. a bar chart shows its bars as clickable): each
   * `SET_VARIABLE` sets its variable, each `DRILLDOWN` opens its dashboard.
   */
  private callbacks(): Record<string, (...args: unknown[]) => void> {
    const events = this.definition?.config.events ?? {};
    const out: Record<string, (...args: unknown[]) => void> = {};
    for (const [name, toProperties] of Object.entries(events)) {
      if (!this.widget.events?.some((e) => e.event === name)) continue;
      out[name] = (...args) => {
        const properties = toProperties(...args);
        for (const e of this.widget.events ?? []) {
          if (e.event !== name) continue;
          if (e.action === 'DRILLDOWN') {
            this.host.drilldown({ event: e, properties, trigger: this.trigger(), widgetId: this.widget.id });
            continue;
          }
          if (e.action !== 'SET_VARIABLE' || !e.config.variable) continue;
          const value = unwrapValue(properties[e.config.sourceValue ?? 'value'] ?? null);
          this.host.setVariable(e.config.variable, value ?? null);
        }
      };
    }
    return out;
  }

  /** What had focus in this widget (a bar's button), else the widget itself (a mouse click on a canvas). */
  private trigger(): HTMLElement {
    const active = (this.element.getRootNode() as Document | ShadowRoot).activeElement;
    if (active instanceof HTMLElement && this.element.contains(active)) return active;
    this.element.tabIndex = -1;
    return this.element;
  }

  private draw(props: Record<string, unknown>) {
    const definition = this.definition!;
    const loading = Object.values(props).some((v) => (v as DataResponse | undefined)?.isLoading === true);
    const errors = Object.values(props)
      .map((v) => (isResponse(v) ? v.error : undefined))
      .filter((e): e is string => !!e);
    this.element.setAttribute('aria-busy', String(loading));
    this.showAlert(errors.length ? `This widget could not load its data: ${errors[0]}` : undefined);
    const inlay = {
      clientContext: this.host.clientContext(),
      theme: this.host.theme(),
      state: this.state,
      setState: this.setState,
      widgetId: this.widget.id,
    };
    const element = h(definition.Component as FunctionComponent<Record<string, unknown>>, {
      ...props,
      ...this.callbacks(),
      __inlay: inlay,
    });
    if (this.body.querySelector(':scope > .status')) this.body.replaceChildren();
    render(
      h(
        Boundary,
        { onError: (e: unknown) => this.fail(e, `widget '${this.widget.id}' failed to render`) },
        element,
      ),
      this.body,
    );
  }

  private showAlert(message: string | undefined) {
    this.alert.hidden = message === undefined;
    this.alert.textContent = message ?? '';
  }

  private fail(err: unknown, context: string) {
    const message = err instanceof Error ? err.message : String(err);
    this.element.setAttribute('aria-busy', 'false');
    this.element.dataset.state = 'error';
    this.showAlert(`${context}: ${message}`);
    const status = this.body.querySelector(':scope > .status');
    if (status) status.remove();
    this.host.reportError(new EmbedError(`${context}: ${message}`, { widgetId: this.widget.id }));
  }

  destroy() {
    this.pass?.abort();
    render(null, this.body);
  }
}

const isResponse = (v: unknown): v is DataResponse =>
  typeof v === 'object' && v !== null && typeof (v as DataResponse).isLoading === 'boolean';
