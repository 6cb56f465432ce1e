/// <reference lib="dom" />
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
}

export type InlayElement = HTMLElement & {
  preview?: PreviewValue;
  clientContext?: Record<string, unknown>;
  variables?: Record<string, unknown>;
};
