import { describe, expect, it } from 'vitest';
import { type DashboardDocument, dashboardSchema, drilldownIssues, drilldownTargets } from '../src/index.js';

const doc = (config: Record<string, unknown>) =>
  ({
    name: 'overview',
    variables: [],
    datasets: [{ name: 'flights', model: 'flights' }],
    widgets: [
      {
        id: 'bars',
        component: 'BarChart',
        inputs: [],
        events: [{ event: 'onBarClick', action: 'DRILLDOWN', config }],
      },
    ],
  }) as const;

const targets = new Map([['detail', { name: 'detail', variables: ['state', 'carrier'] }]]);

describe('DRILLDOWN checks', () => {
  it('the schema wants config.dashboard, with a path and the fix', () => {
    const r = dashboardSchema.safeParse(doc({ variables: { state: 'value' } }));
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'widgets.0.events.0.config.dashboard',
        'DRILLDOWN needs config.dashboard: the id or name of the dashboard to open.',
      ],
    ]);
  });

  it('lists the targets and accepts a link to an existing dashboard and its variables', () => {
    const d = dashboardSchema.parse(doc({ dashboard: 'detail', variables: { state: 'value' } }));
    expect([...drilldownTargets(d)]).toEqual(['detail']);
    expect(drilldownIssues(d, (t) => targets.get(t), ['detail'])).toEqual([]);
  });

  it('a target that does not exist, a variable it does not declare, and a target that cannot open', () => {
    const ghost = dashboardSchema.parse(doc({ dashboard: 'ghost' })) as DashboardDocument;
    expect(drilldownIssues(ghost, (t) => targets.get(t), ['detail', 'other'])).toEqual([
      {
        path: ['widgets', 0, 'events', 0, 'config', 'dashboard'],
        message:
          "widget 'bars' drills down to dashboard 'ghost', which does not exist; pick one of: 'detail', 'other'.",
      },
    ]);
    const extra = dashboardSchema.parse(doc({ dashboard: 'detail', variables: { nope: 'value' } }));
    expect(drilldownIssues(extra, (t) => targets.get(t))).toEqual([
      {
        path: ['widgets', 0, 'events', 0, 'config', 'variables', 'nope'],
        message:
          "widget 'bars' passes variable 'nope' to dashboard 'detail', which does not declare it; use one of: 'carrier', 'state'.",
      },
    ]);
    const unpublished = () => ({ name: 'detail', variables: [], problem: 'not published.' });
    expect(drilldownIssues(extra, unpublished)[0]?.message).toBe("widget 'bars': not published.");
  });
});
