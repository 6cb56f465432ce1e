/// <reference lib="dom" />
import type { ClientContext, DashboardDocument, WidgetEvent } from '@inlay/core';
import { EmbedError, type Preview } from './api.js';
import { unwrapValue, type Variables } from './resolve.js';

/**
 * Drill-down: a widget event configured as `DRILLDOWN` opens another dashboard in a modal
 * `<dialog>` inside the embed's shadow root (the top layer: no z-index fights with the host page),
 * showing the target with variables taken from the event. Drilling again inside the modal stacks
 * a level (Back returns to the previous one, as it was); Close or Esc closes every level and
 * focus returns to what triggered the first one. Each level is an `<inlay-dashboard>` that asks
 * for its document and data with the same token plus the drill path (the server checks each link).
 */

/** Dispatched (cancelable) on the embed the host put on its page before the modal opens. */
export const DRILLDOWN_EVENT = 'inlay:drilldown';
/** The server refuses deeper paths (`MAX_DRILL_DEPTH`); the runtime says so before asking. */
export const MAX_DRILL_DEPTH = 5;

export interface DrilldownDetail {
  /** The target dashboard (id or name, as the event names it). */
  dashboard: string;
  variables: Variables;
  /** The dashboard whose widget fired, and where it is in the drill (empty: the host's own). */
  from: string;
  path: string[];
  widgetId: string;
  event: string;
}

/**
 * The target's variables a DRILLDOWN passes: `config.variables` maps each target variable to the
 * event property whose value it takes. A property the event did not carry is left out, so the
 * target's default applies; an explicit null (or `Value.noFilter()`) passes "no value".
 */
export function drilldownVariables(event: WidgetEvent, properties: Record<string, unknown>): Variables {
  const out: Variables = {};
  for (const [variable, property] of Object.entries(event.config.variables ?? {})) {
    if (!Object.hasOwn(properties, property)) continue;
    out[variable] = unwrapValue(properties[property]) ?? null;
  }
  return out;
}

/** What the modal needs from the embed the host placed (public accessors of `InlayEmbed`). */
export interface DrillOwner extends HTMLElement {
  readonly token: string;
  readonly baseUrl: string;
  readonly clientContext: ClientContext;
  readonly preview: Preview | undefined;
}

/** Where a level's `<inlay-dashboard>` sits in the drill; read by `InlayEmbed` for its requests. */
export interface DrillContext {
  top: DrillOwner;
  path: string[];
  onDocument(doc: DashboardDocument): void;
}
export const drillContexts = new WeakMap<HTMLElement, DrillContext>();

type LevelElement = HTMLElement & {
  clientContext: ClientContext;
  variables: Variables;
  preview: Preview | undefined;
};

interface Level {
  element: LevelElement;
  trigger: HTMLElement;
  title: string;
}

export interface DrillRequest {
  event: WidgetEvent;
  properties: Record<string, unknown>;
  /** Focus returns here when the level closes. */
  trigger: HTMLElement;
  /** The drill path of the dashboard that fired (empty for the host's own). */
  path: string[];
  from: string;
  widgetId: string;
  reportError(error: EmbedError): void;
}

/** What a widget knows when its DRILLDOWN fires; the embed adds where it is in the drill. */
export type WidgetDrill = Pick<DrillRequest, 'event' | 'properties' | 'trigger' | 'widgetId'>;

const CSS = `
.inlay-drill { width: min(1100px, calc(100vw - 32px)); max-width: none; max-height: calc(100dvh - 32px);
  padding: 0; border: 1px solid var(--inlay-border); border-radius: var(--inlay-radius);
  background: var(--inlay-bg); color: var(--inlay-fg); font-family: var(--inlay-font); font-size: 14px;
  box-shadow: 0 12px 40px rgb(0 0 0 / 0.35); overflow: hidden; }
.inlay-drill[open] { display: flex; flex-direction: column; }
.inlay-drill::backdrop { background: rgb(0 0 0 / 0.55); }
.drill-head { display: flex; align-items: center; gap: 8px; padding: 10px 12px;
  border-bottom: 1px solid var(--inlay-border); background: var(--inlay-surface); }
.drill-head h2 { flex: 1 1 auto; margin: 0; font-size: 16px; font-weight: 600; overflow-wrap: anywhere; }
.drill-body { flex: 1 1 auto; min-height: 0; overflow: auto; overscroll-behavior: contain; }
.drill-button { font: inherit; min-height: 36px; padding: 6px 14px; border-radius: 6px; cursor: pointer;
  color: var(--inlay-fg); background: var(--inlay-bg); border: 1px solid var(--inlay-border); }
.drill-button:hover { border-color: var(--inlay-accent); }
.drill-button:focus-visible { outline: 2px solid var(--inlay-accent); outline-offset: 2px; }
@media (max-width: 480px) {
  .inlay-drill { width: 100vw; height: 100dvh; max-height: 100dvh; border-radius: 0; border: 0; }
}
`;
let sheet: CSSStyleSheet | undefined;

function button(text: string, className: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `drill-button ${className}`;
  b.textContent = text;
  return b;
}

/** The modal of one host-placed embed: a stack of levels, one visible at a time. */
export class DrillModal {
  #dialog: HTMLDialogElement | undefined;
  #heading!: HTMLHeadingElement;
  #back!: HTMLButtonElement;
  #close!: HTMLButtonElement;
  #body!: HTMLElement;
  #levels: Level[] = [];

  constructor(private readonly owner: DrillOwner) {}

  /** A DRILLDOWN fired: tell the host (which may take over), then open the target as a level. */
  request(r: DrillRequest): void {
    const target = r.event.config.dashboard;
    if (!target) {
      r.reportError(new EmbedError(`widget '${r.widgetId}': DRILLDOWN names no dashboard`));
      return;
    }
    const variables = drilldownVariables(r.event, r.properties);
    const path = [...r.path, target];
    const detail: DrilldownDetail = {
      dashboard: target,
      variables,
      from: r.from,
      path: r.path,
      widgetId: r.widgetId,
      event: r.event.event,
    };
    const proceed = this.owner.dispatchEvent(
      new CustomEvent(DRILLDOWN_EVENT, { detail, bubbles: true, composed: true, cancelable: true }),
    );
    if (!proceed) return;
    if (this.owner.preview && !this.owner.preview.dashboard) {
      r.reportError(new EmbedError('this preview cannot open other dashboards', detail));
      return;
    }
    if (path.length > MAX_DRILL_DEPTH) {
      r.reportError(new EmbedError(`drill-downs nest at most ${MAX_DRILL_DEPTH} deep`, detail));
      return;
    }
    this.#push(target, variables, path, r.trigger);
  }

  /** The host's theme or locale changed: every level follows. */
  setClientContext(clientContext: ClientContext): void {
    for (const level of this.#levels) level.element.clientContext = clientContext;
  }

  close(): void {
    if (this.#dialog?.open) this.#dialog.close();
  }

  #push(target: string, variables: Variables, path: string[], trigger: HTMLElement) {
    const dialog = this.#build();
    const element = document.createElement('inlay-dashboard') as LevelElement;
    const level: Level = { element, trigger, title: target };
    drillContexts.set(element, {
      top: this.owner,
      path,
      onDocument: (doc) => {
        level.title = doc.title || doc.name;
        this.#show();
      },
    });
    element.clientContext = this.owner.clientContext;
    element.variables = variables;
    const preview = this.owner.preview;
    if (preview) {
      // The builder's canvas: the target's draft, read as the same "View as" customer.
      void preview.dashboard?.(target).then(
        (document) => {
          element.preview = { ...preview, document };
        },
        (err: unknown) => {
          element.textContent = `This dashboard could not be shown: ${err instanceof Error ? err.message : String(err)}`;
          element.setAttribute('role', 'alert');
        },
      );
    }
    const previous = this.#levels.at(-1);
    if (previous) previous.element.hidden = true;
    this.#levels.push(level);
    this.#body.append(element);
    this.#show();
    if (!dialog.open) dialog.showModal();
    this.#body.scrollTop = 0;
    this.#close.focus();
  }

  /** Heading and Back for the visible (last) level. */
  #show() {
    const top = this.#levels.at(-1);
    this.#heading.textContent = top?.title ?? '';
    this.#back.hidden = this.#levels.length < 2;
  }

  #pop() {
    const level = this.#levels.pop();
    if (!level) return;
    level.element.remove();
    const previous = this.#levels.at(-1);
    if (!previous) return this.close();
    previous.element.hidden = false;
    this.#show();
    (level.trigger.isConnected ? level.trigger : this.#close).focus();
  }

  #build(): HTMLDialogElement {
    if (this.#dialog) return this.#dialog;
    const shadow = this.owner.shadowRoot!;
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    if (!shadow.adoptedStyleSheets.includes(sheet))
      shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
    const dialog = document.createElement('dialog');
    dialog.className = 'inlay-drill';
    dialog.setAttribute('aria-labelledby', 'inlay-drill-title');
    const head = document.createElement('div');
    head.className = 'drill-head';
    this.#back = button('← Back', 'drill-back');
    this.#heading = document.createElement('h2');
    this.#heading.id = 'inlay-drill-title';
    this.#close = button('Close', 'drill-close');
    head.append(this.#back, this.#heading, this.#close);
    this.#body = document.createElement('div');
    this.#body.className = 'drill-body';
    dialog.append(head, this.#body);
    this.#back.addEventListener('click', () => this.#pop());
    this.#close.addEventListener('click', () => this.close());
    // Esc (the dialog's `cancel`) closes everything, like Close; `close` cleans up either way.
    dialog.addEventListener('close', () => {
      const first = this.#levels[0];
      for (const level of this.#levels.splice(0)) level.element.remove();
      first?.trigger.focus();
    });
    shadow.append(dialog);
    this.#dialog = dialog;
    return dialog;
  }
}
