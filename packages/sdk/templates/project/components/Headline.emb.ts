import { defineComponent } from '@inlay/react';
import { defineMeta, loadData } from '@inlay/sdk';
import { Headline, styles } from './Headline.js';

/**
 * What the builder shows and a dashboard's widget fills in. `name` is how dashboards refer to the
 * component (`component: Headline` in dashboards/overview.embeddable.yml). `defineMeta` keeps the
 * literal types, so `inputs` below is typed: `inputs.measure` is a MemberRef, `inputs.title` a
 * string or undefined, and a misspelt input is a compile error.
 */
export const meta = defineMeta({
  name: 'Headline',
  label: 'Headline number',
  description: 'One measure as a big number, with a title and a caption.',
  category: 'My components',
  defaultWidth: 4,
  defaultHeight: 2,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'measure', type: 'measure', label: 'Measure', required: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'caption', type: 'string', label: 'Caption' },
  ],
});

export default defineComponent(Headline, meta, {
  // Inputs → props. `loadData` describes the query; the runtime runs it with the viewer's token
  // (so row-level security applies) and passes the response as `results`.
  props: (inputs) => ({
    title: inputs.title,
    caption: inputs.caption,
    measure: inputs.measure,
    results: loadData({ from: inputs.ds, measures: [inputs.measure], limit: 1 }),
  }),
  styles,
});
