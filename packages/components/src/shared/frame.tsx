import { useElementId } from '@inlay/react';
import type { DataResponse } from '@inlay/sdk';
import { type ReactNode, useRef } from 'react';

/** The card every standard widget sits in: an optional heading (naming the region) and a body. */
export function Frame(props: { title?: string | undefined; className?: string; children: ReactNode }) {
  const id = useElementId();
  return (
    <section
      className={`inlay-widget ${props.className ?? ''}`}
      aria-labelledby={props.title ? id : undefined}
    >
      {props.title ? (
        <h2 className="inlay-title" id={id} title={props.title}>
          {props.title}
        </h2>
      ) : null}
      <div className="inlay-body">{props.children}</div>
    </section>
  );
}

export type DataState = 'loading' | 'error' | 'empty' | 'ready';

/** Which state a response is in; a missing response (no dataset chosen yet) counts as empty. */
export function stateOf(response: DataResponse | undefined): DataState {
  if (!response) return 'empty';
  if (response.error) return 'error';
  if (response.isLoading) return 'loading';
  return response.data && response.data.length > 0 ? 'ready' : 'empty';
}

/** Loading, error and empty as text a screen reader announces; `null` when there is data. */
export function StateMessage(props: { response: DataResponse | undefined; empty?: string }): ReactNode {
  const state = stateOf(props.response);
  if (state === 'loading')
    return (
      <div className="inlay-state" role="status" aria-busy="true">
        <span className="inlay-sr-only">Loading…</span>
        <div className="inlay-skeleton" aria-hidden="true" />
      </div>
    );
  if (state === 'error')
    return (
      <p className="inlay-state inlay-state-error" role="alert">
        Could not load the data: {props.response?.error}
      </p>
    );
  if (state === 'empty')
    return (
      <p className="inlay-state" role="status">
        {props.empty ?? 'No data for these filters.'}
      </p>
    );
  return null;
}

/**
 * While a new answer loads (variables changed, another page), keep showing the last loaded one
 * rather than jumping back to a skeleton; `reloading` says so (the widget dims and sets aria-busy).
 */
export function useStableResponse(response: DataResponse | undefined): {
  shown: DataResponse | undefined;
  reloading: boolean;
} {
  const last = useRef<DataResponse | undefined>(undefined);
  const state = stateOf(response);
  if (state === 'ready' || state === 'empty') last.current = response;
  if (state === 'error' || response === undefined) last.current = undefined;
  const reloading = state === 'loading' && last.current !== undefined;
  return { shown: reloading ? last.current : response, reloading };
}
