/// <reference lib="dom" />
import { createElement, useCallback, useEffect, useMemo, useRef } from 'react';
import ReactGridLayout, { type Layout, noCompactor, useContainerWidth } from 'react-grid-layout';
import { applyLayout, type Draft, GRID_COLUMNS, layoutOf, widgetLabel } from '../editor/document.js';
import { type InlayElement, loadRuntime, type PreviewValue } from './runtime.js';

/** The runtime's grid: rows of 60 px, 12 px between widgets (packages/embed/src/styles.ts). */
const ROW_HEIGHT = 60;
const GAP = 12;
/** Narrower than this the grid scrolls sideways instead of squeezing widgets. */
const MIN_WIDTH = 720;

export interface CanvasProps {
  doc: Draft;
  preview: PreviewValue;
  clientContext: Record<string, unknown>;
  editable: boolean;
  selected: string | undefined;
  onSelect: (id: string) => void;
  onChange: (edit: (doc: Draft) => Draft) => void;
}

/** One widget, drawn by the runtime's `<inlay-component>` from the draft (properties, not attributes). */
function PreviewWidget(props: {
  widgetId: string;
  preview: PreviewValue;
  clientContext: Record<string, unknown>;
  variables: () => Record<string, unknown>;
}) {
  const ref = useRef<InlayElement>(null);
  const { variables } = props;
  useEffect(() => {
    if (ref.current) ref.current.variables = variables();
  }, [variables]);
  useEffect(() => {
    if (ref.current) ref.current.clientContext = props.clientContext;
  }, [props.clientContext]);
  useEffect(() => {
    if (ref.current) ref.current.preview = props.preview;
  }, [props.preview]);
  return createElement('inlay-component', { ref, 'widget-id': props.widgetId, class: 'widget-preview' });
}

export function Canvas({ doc, preview, clientContext, editable, selected, onSelect, onChange }: CanvasProps) {
  const { width, containerRef, mounted } = useContainerWidth();
  const gridRef = useRef<HTMLDivElement>(null);
  const moving = useRef(false);
  // Variables a control set (a date-range picker's onChange), shared by every widget on the canvas.
  const variables = useRef<Record<string, unknown>>({});
  const getVariables = useCallback(() => variables.current, []);
  useEffect(loadRuntime, []);

  useEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const listener = (e: Event) => {
      const changes = (e as CustomEvent<{ variableName: string; newValue: unknown }[]>).detail ?? [];
      const next = { ...variables.current };
      for (const c of changes) next[c.variableName] = c.newValue;
      variables.current = next;
      for (const el of grid.querySelectorAll<InlayElement>('inlay-component')) {
        if (el !== e.target) el.variables = next;
      }
    };
    grid.addEventListener('variablesChange', listener);
    return () => grid.removeEventListener('variablesChange', listener);
  }, []);

  const layout = useMemo(() => layoutOf(doc), [doc]);
  const apply = useCallback(
    (next: Layout) =>
      onChange((d) =>
        applyLayout(
          d,
          next.map(({ i, x, y, w, h }) => ({ i, x, y, w, h })),
        ),
      ),
    [onChange],
  );
  const stop = useCallback(
    (next: Layout) => {
      moving.current = false;
      apply(next);
    },
    [apply],
  );

  return (
    <div className="canvas-scroll">
      <div className="canvas" ref={containerRef}>
        <div ref={gridRef}>
          {mounted && (
            <ReactGridLayout
              width={Math.max(width, MIN_WIDTH)}
              layout={layout}
              gridConfig={{
                cols: GRID_COLUMNS,
                rowHeight: ROW_HEIGHT,
                margin: [GAP, GAP],
                containerPadding: [GAP, GAP],
              }}
              dragConfig={{ enabled: editable, handle: '.drag-handle' }}
              resizeConfig={{ enabled: editable, handles: ['se'] }}
              compactor={noCompactor}
              onDragStart={() => {
                moving.current = true;
              }}
              onResizeStart={() => {
                moving.current = true;
              }}
              onDragStop={stop}
              onResizeStop={stop}
              onLayoutChange={(next) => {
                if (!moving.current && editable) apply(next);
              }}
            >
              {doc.widgets.map((w) => {
                const label = widgetLabel(w);
                const isSelected = w.id === selected;
                return (
                  <div
                    key={w.id}
                    className={`canvas-item${isSelected ? ' selected' : ''}`}
                    data-widget={w.id}
                  >
                    {editable && (
                      <div className="item-bar">
                        <span className="drag-handle" aria-hidden="true" title="Drag to move">
                          ⠿
                        </span>
                        <button
                          type="button"
                          className="item-select"
                          aria-pressed={isSelected}
                          onClick={() => onSelect(w.id)}
                        >
                          <span className="sr-only">Select </span>
                          {label}
                        </button>
                        <span className="item-kind">{w.component}</span>
                      </div>
                    )}
                    {/* Clicks inside the widget select it too (the button is the keyboard's way). */}
                    {/* biome-ignore lint/a11y/noStaticElementInteractions: the button above is the accessible way */}
                    {/* biome-ignore lint/a11y/useKeyWithClickEvents: the button above is the keyboard's way */}
                    <div className="item-body" onClick={editable ? () => onSelect(w.id) : undefined}>
                      <PreviewWidget
                        widgetId={w.id}
                        preview={preview}
                        clientContext={clientContext}
                        variables={getVariables}
                      />
                    </div>
                  </div>
                );
              })}
            </ReactGridLayout>
          )}
        </div>
      </div>
      {doc.widgets.length === 0 && (
        <p className="note canvas-empty">
          {editable ? 'Nothing here yet: add a component from the list.' : 'This dashboard has no widgets.'}
        </p>
      )}
    </div>
  );
}
