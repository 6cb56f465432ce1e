import { defineComponent } from '@inlay/react';
import { renderMarkdown } from '../markdown/markdown.js';
import { Frame } from '../shared/frame.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'Text',
  label: 'Text',
  description: 'A heading and text with simple Markdown (bold, italic, links, lists).',
  category: 'Text',
  defaultWidth: 4,
  defaultHeight: 2,
  inputs: [
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'body', type: 'string', label: 'Text (Markdown)' },
  ],
} as const;

export function Text(props: { title?: string | undefined; body?: string | undefined }) {
  return (
    <Frame title={props.title} className="inlay-text">
      <div className="inlay-markdown">{renderMarkdown(props.body ?? '')}</div>
    </Frame>
  );
}

export default defineComponent(Text, meta, {
  props: (inputs) => ({ title: inputs.title, body: inputs.body }),
  styles: `${baseStyles}
.inlay-markdown { font-size: 0.875rem; line-height: 1.5; color: var(--inlay-fg, #1f2328); overflow: auto; height: 100%;
  overflow-wrap: anywhere; }
.inlay-markdown > :first-child { margin-top: 0; }
.inlay-markdown p, .inlay-markdown ul, .inlay-markdown ol { margin: 0 0 0.5em; }
.inlay-markdown h3, .inlay-markdown h4, .inlay-markdown h5 { margin: 0.25em 0 0.4em; font-size: 1em; }
.inlay-markdown h3 { font-size: 1.125em; }
.inlay-markdown a { color: var(--inlay-accent, #2563eb); }
.inlay-markdown code { font-family: ui-monospace, monospace; font-size: 0.9em; background: var(--inlay-bg, #f6f7f9);
  padding: 0 0.25em; border-radius: 3px; }
`,
});
