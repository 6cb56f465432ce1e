import type { ComponentEventMeta, DashboardVariable } from '@inlay/core';
import { useEffect, useState } from 'react';
import { api, type Embeddable } from '../api.js';
import { variableChoices } from '../editor/choices.js';
import { type Draft, setEventVariable } from '../editor/document.js';
import { eventAction, eventDrilldown, fittingProperties, setEventDrilldown } from '../editor/drilldown.js';
import { SelectField } from './fields.js';

type Widget = Draft['widgets'][number];
type Edit = (edit: (doc: Draft) => Draft) => void;

/** The workspace's other dashboards, loaded once per panel: the drill-down targets on offer. */
export function useDashboards(selfName: string): Embeddable[] | undefined {
  const [list, setList] = useState<Embeddable[]>();
  useEffect(() => {
    let live = true;
    api.embeddables().then(
      (all) => live && setList(all.filter((d) => d.name !== selfName)),
      () => live && setList([]),
    );
    return () => {
      live = false;
    };
  }, [selfName]);
  return list;
}

/** The builder's loose document shape holds variables as stored: typed here. */
const variablesOf = (doc: { variables?: unknown[] }): DashboardVariable[] =>
  (doc.variables ?? []) as DashboardVariable[];

/** A target's variables, from its draft (else its latest version), as the editor previews it. */
function useTargetVariables(id: string | undefined): DashboardVariable[] | undefined {
  const [variables, setVariables] = useState<DashboardVariable[]>();
  useEffect(() => {
    setVariables(undefined);
    if (!id) return;
    let live = true;
    api.embeddable(id).then(
      (d) => live && setVariables(variablesOf(d.document)),
      () => live && setVariables([]),
    );
    return () => {
      live = false;
    };
  }, [id]);
  return variables;
}

/**
 * One event the component declares: "Set a variable" (of this dashboard) or "Open a dashboard"
 * (pick the target, then for each of its variables the event property that fills it; only
 * properties of a fitting type are offered, the rest keep the target's defaults).
 */
export function EventEditor(props: {
  doc: Draft;
  widget: Widget;
  event: ComponentEventMeta;
  dashboards: Embeddable[] | undefined;
  onChange: Edit;
}) {
  const { doc, widget, event, onChange } = props;
  const stored = eventAction(widget, event.name);
  // "Open a dashboard" chosen but no target yet: nothing to store until one is picked.
  const [mode, setMode] = useState<'SET_VARIABLE' | 'DRILLDOWN'>(
    stored === 'DRILLDOWN' ? 'DRILLDOWN' : 'SET_VARIABLE',
  );
  useEffect(() => {
    if (stored !== 'none') setMode(stored);
  }, [stored]);
  const drill = eventDrilldown(widget, event.name);
  const target = props.dashboards?.find((d) => d.id === drill?.dashboard || d.name === drill?.dashboard);
  const targetVariables = useTargetVariables(target?.id);
  const property = event.properties?.[0];

  const chooseMode = (next: string) => {
    setMode(next === 'DRILLDOWN' ? 'DRILLDOWN' : 'SET_VARIABLE');
    // Switching drops the other action: one action per event.
    if (stored !== 'none' && stored !== next)
      onChange((d) => setEventVariable(d, widget.id, event.name, undefined, undefined));
  };
  const pickTarget = async (id: string) => {
    if (!id) return onChange((d) => setEventDrilldown(d, widget.id, event, undefined, {}));
    const opened = await api.embeddable(id).catch(() => undefined);
    const variables = opened ? variablesOf(opened.document) : [];
    // A variable with exactly one fitting property is mapped at once (a bar's value → state).
    const mapping: Record<string, string> = {};
    for (const v of variables) {
      const fits = fittingProperties(event, v);
      if (fits.length === 1) mapping[v.name] = fits[0]!.name;
    }
    onChange((d) => setEventDrilldown(d, widget.id, event, { id, variables }, mapping));
  };
  const mapVariable = (name: string, value: string) => {
    if (!target || !targetVariables) return;
    const mapping = { ...(drill?.variables ?? {}) };
    if (value) mapping[name] = value;
    else delete mapping[name];
    onChange((d) =>
      setEventDrilldown(d, widget.id, event, { id: target.id, variables: targetVariables }, mapping),
    );
  };

  const variables = variableChoices(doc, {
    type: property?.type ?? 'string',
    array: property?.array ?? false,
  });
  return (
    <fieldset className="event-editor">
      <legend>{`When ${event.label}`}</legend>
      <SelectField label={`When ${event.label}, do`} value={mode} onChange={([v]) => chooseMode(v ?? '')}>
        <option value="SET_VARIABLE">Set a variable</option>
        <option value="DRILLDOWN">Open a dashboard</option>
      </SelectField>
      {mode === 'SET_VARIABLE' ? (
        <SelectField
          label={`When ${event.label}, set variable`}
          value={
            widget.events?.find((e) => e.event === event.name && e.action === 'SET_VARIABLE')?.config
              .variable ?? ''
          }
          hint={
            variables.length === 0 ? `Add a variable of type ${property?.type ?? 'string'} first.` : undefined
          }
          onChange={([name]) =>
            onChange((d) => setEventVariable(d, widget.id, event.name, name || undefined, property?.name))
          }
        >
          <option value="">Nothing</option>
          {variables.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
        </SelectField>
      ) : (
        <>
          <SelectField
            label={`When ${event.label}, open dashboard`}
            value={target?.id ?? ''}
            hint={props.dashboards?.length === 0 ? 'Create the dashboard to open first.' : undefined}
            onChange={([id]) => void pickTarget(id ?? '')}
          >
            <option value="">{props.dashboards ? 'Choose a dashboard' : 'Loading dashboards…'}</option>
            {props.dashboards?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title ? `${d.title} (${d.name})` : d.name}
              </option>
            ))}
          </SelectField>
          {target &&
            targetVariables?.map((v) => {
              const fits = fittingProperties(event, v);
              return (
                <SelectField
                  key={v.name}
                  label={`Pass to ${v.name}`}
                  value={drill?.variables[v.name] ?? ''}
                  hint={
                    fits.length === 0 ? `No ${v.type} value in this event: its default applies.` : undefined
                  }
                  onChange={([value]) => mapVariable(v.name, value ?? '')}
                >
                  <option value="">Its default</option>
                  {fits.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.label}
                    </option>
                  ))}
                </SelectField>
              );
            })}
          {target && targetVariables?.length === 0 && (
            <p className="hint">{`${target.name} has no variables.`}</p>
          )}
        </>
      )}
    </fieldset>
  );
}
