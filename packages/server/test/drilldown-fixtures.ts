/**
 * Two linked dashboards and an unlinked one, shared by the drill-down route and browser tests.
 * `states-overview` shows flights by origin state in a bar chart whose bar click opens
 * `state-detail` with the clicked state as its `state` variable. `destinations-board` reads a cube
 * (`destinations`) neither of the others does, and nothing links to it.
 */

export const OVERVIEW = 'states-overview';
export const DETAIL = 'state-detail';
export const UNLINKED = 'destinations-board';

const kpi = (id: string, measure: string, title: string, y = 0) => ({
  id,
  component: 'KpiCard',
  position: { x: 0, y },
  dimensions: { width: 6, height: 2 },
  inputs: [
    { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' },
    { input: 'measure', inputType: 'measure', valueType: 'VALUE', value: measure, config: { dataset: 'ds' } },
    { input: 'title', inputType: 'string', valueType: 'VALUE', value: title },
  ],
});

export function overviewDoc(target: string = DETAIL) {
  return {
    title: 'Flights by origin state',
    variables: [],
    datasets: [
      { name: 'flights', model: 'flights' },
      { name: 'airports', model: 'airports' },
    ],
    widgets: [
      {
        id: 'by-state',
        component: 'BarChart',
        position: { x: 0, y: 0 },
        dimensions: { width: 12, height: 6 },
        inputs: [
          { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' },
          {
            input: 'dimension',
            inputType: 'dimension',
            valueType: 'VALUE',
            value: 'airports.state',
            config: { dataset: 'ds' },
          },
          {
            input: 'measures',
            inputType: 'measure',
            array: true,
            valueType: 'VALUE',
            value: ['flights.count'],
            config: { dataset: 'ds' },
          },
          { input: 'title', inputType: 'string', valueType: 'VALUE', value: 'Flights by state' },
        ],
        events: [
          {
            event: 'onBarClick',
            action: 'DRILLDOWN',
            config: { dashboard: target, variables: { state: 'value' } },
          },
        ],
      },
    ],
  };
}

/** Flights and average delay leaving one state (the `state` variable; none: every state). */
export function detailDoc(title = 'State detail') {
  return {
    title,
    variables: [{ name: 'state', type: 'string' }],
    datasets: [
      {
        name: 'flights',
        model: 'flights',
        filters: [{ member: 'airports.state', operator: 'equals', value: 'state', valueType: 'VARIABLE' }],
      },
      { name: 'airports', model: 'airports' },
    ],
    widgets: [kpi('detail-count', 'flights.count', 'Flights from the state')],
  };
}

export function unlinkedDoc() {
  return {
    title: 'Destinations',
    variables: [],
    datasets: [{ name: 'destinations', model: 'destinations' }],
    widgets: [
      {
        id: 'dest-count',
        component: 'KpiCard',
        position: { x: 0, y: 0 },
        dimensions: { width: 6, height: 2 },
        inputs: [
          { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'destinations' },
          {
            input: 'measure',
            inputType: 'measure',
            valueType: 'VALUE',
            value: 'destinations.count',
            config: { dataset: 'ds' },
          },
        ],
      },
    ],
  };
}

type Inject = (
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  payload?: object,
) => Promise<{
  statusCode: number;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers of several routes, read by the tests
  json(): any;
}>;

/**
 * Creates (or reuses) a builder dashboard through the builder API, saves `doc` as its next
 * version and publishes it to `tag` (null: saved only). Answers the save's or publish's response
 * when it is refused, so tests can read the message.
 */
export async function publish(
  inject: Inject,
  name: string,
  doc: object,
  tag: 'production' | 'staging' | null = 'production',
): Promise<{ id: string; version: string } | { refused: { statusCode: number; errorMessage: string } }> {
  const list = (await inject('GET', `/api/v1/embeddables?search=${name}`)).json().embeddables as {
    id: string;
    name: string;
  }[];
  let id = list.find((d) => d.name === name)?.id;
  if (!id) {
    const created = await inject('POST', '/api/v1/embeddables', { name });
    if (created.statusCode !== 201) throw new Error(created.body);
    id = created.json().id as string;
  }
  const draft = await inject('PUT', `/api/v1/embeddables/${id}/draft`, { document: doc });
  if (draft.statusCode !== 200) throw new Error(draft.body);
  const saved = await inject('POST', `/api/v1/embeddables/${id}/saved-versions`, {});
  if (saved.statusCode !== 201) return { refused: { statusCode: saved.statusCode, ...saved.json() } };
  const version = saved.json().version as string;
  if (tag) {
    const tagged = await inject('PUT', `/api/v1/embeddables/${id}/tags/${tag}`, { version });
    if (tagged.statusCode !== 200) return { refused: { statusCode: tagged.statusCode, ...tagged.json() } };
  }
  return { id, version };
}
