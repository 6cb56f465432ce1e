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

/** What `<inlay-component>.preview` takes: a document not yet published, read as a chosen customer. */
export interface PreviewValue {
  document: Record<string, unknown>;
  csrfToken: string;
  as: { securityContext: Record<string, unknown>; roles?: string[]; environment?: string };
  /** A drill-down's target: the runtime's modal previews it too. */
  dashboard?: (idOrName: string) => Promise<Record<string, unknown>>;
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
