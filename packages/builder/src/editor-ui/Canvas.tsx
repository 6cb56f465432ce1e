/// <reference lib="dom" />

import type { DashboardWidget } from '@inlay/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import ReactGridLayout, { type Layout, noCompactor, useContainerWidth } from 'react-grid-layout';
import { applyLayout, type Draft, GRID_COLUMNS, layoutOf, widgetLabel } from '../editor/document.js';
import { type Nudge, nudgeWidget, placeText } from '../editor/layout.js';
import { PreviewWidget } from './PreviewWidget.js';
import { type InlayElement, loadRuntime, type PreviewValue } from './runtime.js';

/** The runtime's grid: rows of 60 px, 12 px between widgets (packages/embed/src/styles.ts). */
const ROW_HEIGHT = 60;
const GAP = 12;
/** Narrower than this the grid scrolls sideways instead of squeezing widgets. */
const MIN_WIDTH = 720;
/** Arrow key → one cell across and down (moving), or wider and taller (with Shift, resizing). */
const KEY_STEPS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

export interface CanvasProps {
  doc: Draft;
  preview: PreviewValue;
  clientContext: Record<string, unknown>;
  editable: boolean;
  selected: string | undefined;
  onSelect: (id: string) => void;
  onChange: (edit: (doc: Draft) => Draft) => void;
}

/**
 * What one widget's preview depends on: the widget (not where it sits: moving it is the grid's
 * business), the datasets and variables, who it is shown as, and `inlay dev`'s rebuilds. Anything else — another widget
 * added, moved or edited — leaves this widget's preview as it is, so it is not asked for again.
 */
function previewKey(doc: Draft, widget: DashboardWidget, preview: PreviewValue): string {
  const { position: _where, ...own } = widget;
  return JSON.stringify([
    own,
    doc.datasets,
    doc.variables,
    preview.as,
    preview.csrfToken,
    preview.generation,
  ]);
}

export function Canvas({ doc, preview, clientContext, editable, selected, onSelect, onChange }: CanvasProps) {
  const { width, containerRef, mounted } = useContainerWidth();
  const gridRef = useRef<HTMLDivElement>(null);
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
  // What the last keyboard move did, for screen readers (the grid's own moves are seen, not heard).
  const [moved, setMoved] = useState('');
  const nudge = useCallback(
    (id: string, step: Nudge) =>
      onChange((d) => {
        const next = nudgeWidget(d, id, step);
        const label = widgetLabel(next.widgets.find((x) => x.id === id)!);
        setMoved(next === d ? `${label} cannot go further that way.` : `${label}: ${placeText(next, id)}.`);
        return next;
      }),
    [onChange],
  );

  return (
    <div className="canvas-scroll">
      {editable && (
        <>
          <p id="canvas-keys" className="sr-only">
            Arrow keys move the widget one grid cell; Shift with arrow keys makes it wider, narrower, taller
            or shorter.
          </p>
          <p className="sr-only" aria-live="polite">
            {moved}
          </p>
        </>
      )}
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
              // Only a finished drag or resize changes the document: the grid's own layout reports
              // (it echoes the old layout while the new props arrive) would undo a keyboard move.
              onDragStop={apply}
              onResizeStop={apply}
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
                        <button
                          type="button"
                          className="drag-handle"
                          title="Drag to move; with the keyboard, arrow keys move and Shift+arrow keys resize"
                          aria-describedby="canvas-keys"
                          onKeyDown={(e) => {
                            const step = KEY_STEPS[e.key];
                            if (!step || e.altKey || e.ctrlKey || e.metaKey) return;
                            e.preventDefault();
                            nudge(
                              w.id,
                              e.shiftKey ? { dw: step[0], dh: step[1] } : { dx: step[0], dy: step[1] },
                            );
                          }}
                        >
                          <span aria-hidden="true">⠿</span>
                          <span className="sr-only">Move or resize {label}</span>
                        </button>
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
                        previewKey={previewKey(doc, w, preview)}
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
