/// <reference lib="dom" />
import { api } from '../api.js';

/**
 * The embed runtime, loaded once per page from the server's own origin (the builder's CSP allows
 * 'self'): it defines `<inlay-component>`, which the canvas shows every widget with.
 */
export const RUNTIME_SRC = '/embed/v1/inlay.js';

export function loadRuntime(): void {
  if (document.querySelector(`script[src="${RUNTIME_SRC}"]`)) return;
  const script = document.createElement('script');
  script.type = 'module';
  script.src = RUNTIME_SRC;
  document.head.append(script);
}

/**
 * Makes the workspace's current components (`{name: url}`, URLs relative to the server's base,
 * which is this origin) loadable by every `<inlay-component>` on the page: the canvas previews
 * what the next saved version will pin. Through the runtime's `registerComponents` (the same
 * module instance the script tag loaded); a runtime without it previews standard components only.
 */
export async function registerWorkspaceComponents(urls: Record<string, string>): Promise<void> {
  if (Object.keys(urls).length === 0) return;
  const src: string = RUNTIME_SRC;
  const runtime = (await import(/* @vite-ignore */ src)) as {
    registerComponents?: (components: Record<string, string>, base?: string) => void;
  };
  runtime.registerComponents?.(urls, `${location.origin}/`);
}

/** What `<inlay-component>.preview` takes: a document not yet published, read as a chosen customer. */
export interface PreviewValue {
  document: Record<string, unknown>;
  csrfToken: string;
  as: { securityContext: Record<string, unknown>; roles?: string[]; environment?: string };
  /** A drill-down's target: the runtime's modal previews it too. */
  dashboard?: (idOrName: string) => Promise<Record<string, unknown>>;
  /** Moves on when `inlay dev` rebuilt: the canvas then loads every widget again (the runtime ignores it). */
  generation?: number;
}

/**
 * A drill-down target as the canvas previews it: its draft, else its latest version (what its
 * editor shows), so a link can be tried before either dashboard is published.
 */
export async function previewTarget(idOrName: string): Promise<Record<string, unknown>> {
  const opened = await api.embeddable(idOrName);
  return { ...opened.document, id: opened.id, name: opened.name, version: opened.documentFrom };
}

export type InlayElement = HTMLElement & {
  preview?: PreviewValue;
  clientContext?: Record<string, unknown>;
  variables?: Record<string, unknown>;
};
