import type { ComponentEventMeta, DashboardVariable, WidgetEvent } from '@inlay/core';
import { type Draft, EditError, setEvents } from './document.js';

/**
 * What a widget's event does, as the interactions panel edits it: nothing, set a variable of this
 * dashboard (SET_VARIABLE), or open another dashboard with some of its variables taken from the
 * event's properties (DRILLDOWN). One action per event.
 */

export type EventAction = 'none' | 'SET_VARIABLE' | 'DRILLDOWN';

export function eventAction(widget: Draft['widgets'][number], event: string): EventAction {
  return widget.events?.find((e) => e.event === event)?.action ?? 'none';
}

/**
 * The event properties that fit a target variable: the same type, and a list only for a list
 * variable. A string variable also takes a number or boolean property (a filter compares text).
 */
export function fittingProperties(
  event: Pick<ComponentEventMeta, 'properties'>,
  variable: Pick<DashboardVariable, 'type' | 'array'>,
): { name: string; label: string }[] {
  return (event.properties ?? [])
    .filter((p) => Boolean(p.array) === Boolean(variable.array))
    .filter(
      (p) =>
        p.type === variable.type ||
        (variable.type === 'string' && (p.type === 'number' || p.type === 'boolean')),
    )
    .map((p) => ({ name: p.name, label: p.label ?? p.name }));
}

/**
 * Points an event at a target dashboard with a mapping (target variable → event property);
 * `target` undefined removes the event's action. Mappings to variables the target does not
 * declare, or from properties that do not fit them, are dropped rather than saved broken.
 */
export function setEventDrilldown(
  doc: Draft,
  widgetId: string,
  event: Pick<ComponentEventMeta, 'name' | 'properties'>,
  target:
    | { id: string; variables: readonly Pick<DashboardVariable, 'name' | 'type' | 'array'>[] }
    | undefined,
  mapping: Record<string, string>,
): Draft {
  const w = doc.widgets.find((x) => x.id === widgetId);
  if (!w) throw new EditError(`no widget '${widgetId}'`);
  const others = (w.events ?? []).filter((e) => e.event !== event.name);
  if (!target) return setEvents(doc, widgetId, others);
  const variables: Record<string, string> = {};
  for (const v of target.variables) {
    const property = mapping[v.name];
    if (property && fittingProperties(event, v).some((p) => p.name === property))
      variables[v.name] = property;
  }
  const config: WidgetEvent['config'] = { dashboard: target.id, variables };
  return setEvents(doc, widgetId, [...others, { event: event.name, action: 'DRILLDOWN', config }]);
}

/** The drill-down an event has, if any: its target and mapping. */
export function eventDrilldown(
  widget: Draft['widgets'][number],
  event: string,
): { dashboard: string; variables: Record<string, string> } | undefined {
  const e = widget.events?.find((x) => x.event === event && x.action === 'DRILLDOWN');
  return e?.config.dashboard
    ? { dashboard: e.config.dashboard, variables: e.config.variables ?? {} }
    : undefined;
}
