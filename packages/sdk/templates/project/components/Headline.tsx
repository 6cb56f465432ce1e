import { useClientContext } from '@inlay/react';
import { type DataResponse, formatValue, type MemberRef } from '@inlay/sdk';

/**
 * One number, big, with a title and a caption: the measure the widget's `measure` input names,
 * loaded by the runtime from what `Headline.emb.ts` asks for with `loadData`. A component never
 * fetches; it renders the response it is given, loading and errors included.
 */
export interface HeadlineProps {
  title?: string | undefined;
  caption?: string | undefined;
  measure: MemberRef;
  results: DataResponse;
}

export function Headline({ title, caption, measure, results }: HeadlineProps) {
  const clientContext = useClientContext();
  const annotation = results.annotation?.measures[measure.name];
  // The builder's title, else the model's short title ("Count"), else the member's name.
  const heading = title ?? measure.title ?? annotation?.shortTitle ?? measure.name;
  if (results.error) {
    return (
      <section className="headline">
        <h2 className="headline-title">{heading}</h2>
        <p className="headline-error">{results.error}</p>
      </section>
    );
  }
  const row = results.data?.[0];
  // Numbers follow the viewer's locale (clientContext.locale) and the measure's `format`.
  const value = row ? formatValue(row[measure.name] ?? null, annotation, clientContext) : '…';
  return (
    <section className="headline" aria-busy={results.isLoading}>
      <h2 className="headline-title">{heading}</h2>
      <p className="headline-value">{value}</p>
      {caption ? <p className="headline-caption">{caption}</p> : null}
    </section>
  );
}

/**
 * The component's CSS, adopted into the dashboard's shadow root (never the host page's), so class
 * names cannot clash with the host's. `--inlay-*` variables follow the dashboard's theme.
 */
export const styles = `
.headline { height: 100%; box-sizing: border-box; padding: 12px 16px; display: flex; flex-direction: column;
  justify-content: center; gap: 2px; font-family: var(--inlay-font, system-ui, sans-serif);
  color: var(--inlay-fg, #1f2328); }
.headline-title { margin: 0; font-size: 0.9rem; font-weight: 500; color: var(--inlay-muted, #59636e); }
.headline-value { margin: 0; font-size: 2.4rem; font-weight: 700; font-variant-numeric: tabular-nums;
  color: var(--inlay-accent, #0969da); }
.headline-caption { margin: 0; font-size: 0.8rem; color: var(--inlay-muted, #59636e); }
.headline-error { margin: 0; color: #cf222e; }
`;
