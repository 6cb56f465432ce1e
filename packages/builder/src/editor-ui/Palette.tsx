import type { ComponentMeta } from '@inlay/core';
import { useEffect, useRef, useState } from 'react';
import { byCategory } from './metas.js';
import { PreviewWidget } from './PreviewWidget.js';
import type { PreviewValue } from './runtime.js';

/** A component as it would look added now: its widget and the preview that draws it. */
export interface Sample {
  widgetId: string;
  key: string;
  preview: PreviewValue;
}

/** Hovering or focusing a button this long shows its live preview (passing over the list does not). */
const PREVIEW_DELAY_MS = 300;
const NO_VARIABLES = () => ({});

/**
 * The standard components by category and the workspace's own pushed ones (`metas.ts`), each an "Add" button with its description, and a live
 * preview of the one under the pointer or focus: drawn by the runtime with the dashboard's data,
 * as it would be added (a picture beside the button, hidden from screen readers, which have the
 * description).
 */
export function Palette({
  metas,
  onAdd,
  sample,
  clientContext,
}: {
  metas: Record<string, ComponentMeta>;
  onAdd: (meta: ComponentMeta) => void;
  sample?: ((meta: ComponentMeta) => Sample | undefined) | undefined;
  clientContext: Record<string, unknown>;
}) {
  const [shown, setShown] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const show = (name: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setShown(name), PREVIEW_DELAY_MS);
  };
  const hide = () => {
    clearTimeout(timer.current);
    setShown(undefined);
  };
  const live = shown && metas[shown] ? sample?.(metas[shown]) : undefined;

  return (
    <nav className="palette" aria-labelledby="palette-heading">
      <h2 id="palette-heading">Components</h2>
      {byCategory(metas).map(([category, list]) => (
        <section key={category} aria-label={category}>
          <h3>{category}</h3>
          <ul>
            {list.map((meta) => (
              <li key={meta.name}>
                <button
                  type="button"
                  className="palette-add"
                  onClick={() => {
                    hide();
                    onAdd(meta);
                  }}
                  onMouseEnter={() => show(meta.name)}
                  onMouseLeave={hide}
                  onFocus={() => show(meta.name)}
                  onBlur={hide}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') hide();
                  }}
                  aria-describedby={`palette-${meta.name}`}
                >
                  Add {meta.label}
                </button>
                {meta.description && (
                  <p className="hint" id={`palette-${meta.name}`}>
                    {meta.description}
                  </p>
                )}
                {live && shown === meta.name && (
                  <div className="palette-preview" aria-hidden="true" data-component={meta.name}>
                    <p className="palette-preview-title">{meta.label}, as it would be added</p>
                    <PreviewWidget
                      widgetId={live.widgetId}
                      previewKey={live.key}
                      preview={live.preview}
                      clientContext={clientContext}
                      variables={NO_VARIABLES}
                    />
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
