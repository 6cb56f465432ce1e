import type { ComponentMeta } from '@inlay/core';
import type { MetaCubeInfo } from '../api.js';
import { variableChoices } from '../editor/choices.js';
import { type Draft, removeWidget, setEventVariable, widgetLabel } from '../editor/document.js';
import { SelectField } from './fields.js';
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
          <h3>Events</h3>
          {meta.events.map((event) => {
            const property = event.properties?.[0];
            const choices = variableChoices(doc, {
              type: property?.type ?? 'string',
              array: property?.array ?? false,
            });
            const current = widget.events?.find((e) => e.event === event.name && e.action === 'SET_VARIABLE');
            return (
              <SelectField
                key={event.name}
                label={`When ${event.label}, set variable`}
                value={current?.config.variable ?? ''}
                hint={
                  choices.length === 0
                    ? `Add a variable of type ${property?.type ?? 'string'} first.`
                    : undefined
                }
                onChange={([name]) =>
                  onChange((d) =>
                    setEventVariable(d, widget.id, event.name, name || undefined, property?.name),
                  )
                }
              >
                <option value="">Nothing</option>
                {choices.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name}
                  </option>
                ))}
              </SelectField>
            );
          })}
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
