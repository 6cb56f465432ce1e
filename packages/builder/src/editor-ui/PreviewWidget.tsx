/// <reference lib="dom" />
import { createElement, useEffect, useRef } from 'react';
import type { InlayElement, PreviewValue } from './runtime.js';

/** One widget, drawn by the runtime's `<inlay-component>` from the draft (properties, not attributes). */
export function PreviewWidget(props: {
  widgetId: string;
  previewKey: string;
  preview: PreviewValue;
  clientContext: Record<string, unknown>;
  variables: () => Record<string, unknown>;
}) {
  const ref = useRef<InlayElement>(null);
  // The element reloads whenever its `preview` changes identity: keep the old one while the key holds.
  const kept = useRef<{ key: string; value: PreviewValue }>(undefined);
  if (kept.current?.key !== props.previewKey) kept.current = { key: props.previewKey, value: props.preview };
  const preview = kept.current.value;
  const { variables } = props;
  useEffect(() => {
    if (ref.current) ref.current.variables = variables();
  }, [variables]);
  useEffect(() => {
    if (ref.current) ref.current.clientContext = props.clientContext;
  }, [props.clientContext]);
  useEffect(() => {
    if (ref.current) ref.current.preview = preview;
  }, [preview]);
  return createElement('inlay-component', { ref, 'widget-id': props.widgetId, class: 'widget-preview' });
}
