/// <reference lib="dom" />
import type { DashboardDocument } from '@inlay/core';
import { type ComponentRegistry, InlayEmbed } from './element.js';
import { type RuntimeModulesLoader, setRuntimeModules } from './project-components.js';

export type { Preview, PreviewAs } from './api.js';
export type { ComponentRegistry } from './element.js';
export { registerComponents } from './project-components.js';
export type { CacheLevel, RequestReport } from './request-report.js';
export type { Theme } from './theme.js';
export type { ComponentLoader } from './widget.js';

export interface InlayElementsOptions {
  /** Components by name (`DashboardWidget.component`), each a dynamic import. */
  components: ComponentRegistry;
  /** The modules project components import (`react`, `@inlay/react`…); see `project-components.ts`. */
  runtimeModules?: RuntimeModulesLoader;
}

/**
 * Defines `<inlay-dashboard>` (every widget of the token's dashboard on a 12-column grid) and
 * `<inlay-component widget-id>` (one widget). Defining twice is a no-op, so two copies of the
 * script on one page do not throw.
 */
export function defineInlayElements(options: InlayElementsOptions): void {
  const registry = options.components;
  if (options.runtimeModules) setRuntimeModules(options.runtimeModules);
  if (!customElements.get('inlay-dashboard')) {
    customElements.define(
      'inlay-dashboard',
      class InlayDashboardElement extends InlayEmbed {
        protected readonly registry = registry;
        protected readonly single = false;
        protected pickWidgets(doc: DashboardDocument) {
          // Reading order (and the one-column order on narrow screens): top to bottom, left to right.
          return [...doc.widgets].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
        }
      },
    );
  }
  if (!customElements.get('inlay-component')) {
    customElements.define(
      'inlay-component',
      class InlayComponentElement extends InlayEmbed {
        protected readonly registry = registry;
        protected readonly single = true;
        protected pickWidgets(doc: DashboardDocument) {
          const widget = doc.widgets.find((w) => w.id === this.widgetId);
          if (!widget) throw new Error(`dashboard '${doc.name}' has no widget '${this.widgetId ?? ''}'`);
          return [widget];
        }
      },
    );
  }
}
