import type { ClientContext } from '@inlay/sdk';
import { type CSSProperties, createElement, type ReactNode, useEffect, useRef } from 'react';

/** `detail`s of the events `<inlay-dashboard>` dispatches (the embed contract). */
export interface VariableChange {
  variableName: string;
  newValue: unknown;
}
export interface EmbeddableErrorDetail {
  errorMessage: string;
  errorDetail?: unknown;
}

export interface InlayDashboardProps {
  /** The signed token the host's backend minted (`POST /api/v1/security-token`). */
  token: string;
  /** The Inlay server's origin (and base path); default: this page's origin. */
  baseUrl?: string;
  /** Variable values by name; a new object updates the dashboard without a reload. */
  variables?: Record<string, unknown>;
  clientContext?: ClientContext;
  onVariablesChange?: (changes: VariableChange[]) => void;
  onError?: (error: EmbeddableErrorDetail) => void;
  onDataLoad?: (detail: { ms: number }) => void;
  onComponentsLoad?: () => void;
  /** 60 s before the token expires: set a new `token` prop, nothing reloads. */
  onTokenExpiring?: (detail: { expiresAt: string }) => void;
  className?: string;
  style?: CSSProperties;
  id?: string;
}

const requested = new Set<string>();

/** Adds the embed runtime's module script once per URL (a second add would be a no-op anyway). */
export function loadInlayScript(baseUrl = ''): void {
  if (typeof document === 'undefined') return;
  const src = `${baseUrl.replace(/\/+$/, '')}/embed/v1/inlay.js`;
  if (requested.has(src)) return;
  requested.add(src);
  if (document.querySelector(`script[type="module"][src="${CSS.escape(src)}"]`)) return;
  const script = document.createElement('script');
  script.type = 'module';
  script.src = src;
  script.crossOrigin = 'anonymous';
  document.head.appendChild(script);
}

const EVENTS = {
  variablesChange: 'onVariablesChange',
  embeddableError: 'onError',
  dataLoad: 'onDataLoad',
  componentsLoad: 'onComponentsLoad',
  tokenExpiring: 'onTokenExpiring',
} as const;

function setAttr(el: HTMLElement, name: string, value: string | undefined): void {
  if (value === undefined) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/**
 * `<inlay-dashboard>` for React host apps. Renders only the empty element on the server; in the
 * browser, effects load the runtime script, set the attributes and wire the DOM events (custom
 * element attributes set by React itself would be stringified or dropped by some renderers).
 */
export function InlayDashboard(props: InlayDashboardProps): ReactNode {
  const ref = useRef<HTMLElement | null>(null);
  // Handlers read through a ref, so a new callback each render does not re-subscribe.
  const latest = useRef(props);
  latest.current = props;
  const { token, baseUrl, variables, clientContext } = props;
  const variablesJson = variables === undefined ? undefined : JSON.stringify(variables);
  const contextJson = clientContext === undefined ? undefined : JSON.stringify(clientContext);

  useEffect(() => loadInlayScript(baseUrl), [baseUrl]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setAttr(el, 'base-url', baseUrl);
    setAttr(el, 'client-context', contextJson);
    setAttr(el, 'variables', variablesJson);
    setAttr(el, 'token', token);
  }, [token, baseUrl, variablesJson, contextJson]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const listeners = Object.entries(EVENTS).map(([event, prop]) => {
      const listener = (e: Event) => {
        // biome-ignore lint/suspicious/noExplicitAny: each handler takes its event's detail
        const handler = latest.current[prop] as ((detail: any) => void) | undefined;
        handler?.((e as CustomEvent).detail);
      };
      el.addEventListener(event, listener);
      return [event, listener] as const;
    });
    return () => {
      for (const [event, listener] of listeners) el.removeEventListener(event, listener);
    };
  }, []);

  return createElement('inlay-dashboard', {
    ref,
    id: props.id,
    className: props.className,
    style: props.style,
  });
}
