import type { ComponentMeta } from '@inlay/core';
import type { MetaCubeInfo } from '../api.js';
import { type Draft, removeWidget, widgetLabel } from '../editor/document.js';
import { EventEditor, useDashboards } from './EventEditor.js';
import { InputEditor } from './InputEditor.js';

/** The selected widget's inputs (from its component's meta), its events, and Delete. */
export function WidgetPanel(props: {
  doc: Draft;
  widgetId: string;
  meta: ComponentMeta | undefined;
  cubes: MetaCubeInfo[];
  onChange: (edit: (doc: Draft) => Draft) => void;
  onClose: () => void;
}) {
  const { doc, meta, onChange } = props;
  const widget = doc.widgets.find((w) => w.id === props.widgetId);
  const dashboards = useDashboards(doc.name);
  if (!widget) return null;
  const datasetInput = meta?.inputs.find((i) => i.type === 'dataset')?.name;
  return (
    <section className="panel" aria-labelledby="widget-panel-heading">
      <div className="panel-head">
        <h2 id="widget-panel-heading">
          {widgetLabel(widget)} <span className="muted">({meta?.label ?? widget.component})</span>
        </h2>
        <button type="button" className="button secondary" onClick={props.onClose}>
          Dashboard settings
        </button>
      </div>
      {!meta && <p className="note">Unknown component {widget.component}: only its place can change.</p>}
      <div className="form">
        {meta?.inputs.map((input) => (
          <InputEditor
            key={input.name}
            doc={doc}
            widget={widget}
            input={input}
            datasetInput={datasetInput}
            cubes={props.cubes}
            onChange={onChange}
          />
        ))}
      </div>
      {meta?.events && meta.events.length > 0 && (
        <div className="form events">
          <h3>Interactions</h3>
          {meta.events.map((event) => (
            <EventEditor
              key={event.name}
              doc={doc}
              widget={widget}
              event={event}
              dashboards={dashboards}
              onChange={onChange}
            />
          ))}
        </div>
      )}
      <button
        type="button"
        className="button danger"
        onClick={() => {
          onChange((d) => removeWidget(d, widget.id));
          props.onClose();
        }}
      >
        Delete {widgetLabel(widget)}
      </button>
    </section>
  );
}
