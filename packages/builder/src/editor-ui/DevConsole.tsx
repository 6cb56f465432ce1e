import { Fragment, useEffect, useRef, useState } from 'react';
import {
  type ConsoleEntry,
  cacheText,
  clockTime,
  consoleSummary,
  paramText,
  statusText,
  widgetText,
  withoutHint,
} from '../editor/console.js';
import type { RequestLog } from './useRequestLog.js';

const COLUMNS = 7;

function SqlDetail({ entry }: { entry: ConsoleEntry }) {
  const sql = entry.sql;
  if (!sql || sql.state === 'loading') {
    return (
      <p className="muted" role="status">
        Asking the server for the SQL…
      </p>
    );
  }
  if (sql.state === 'failed') {
    return (
      <div className="console-error">
        <p>No SQL: {sql.message}</p>
        {sql.hint && <p>Hint: {sql.hint}</p>}
      </div>
    );
  }
  const { answer } = sql;
  return (
    <>
      <p className="muted">
        {answer.dialect} on connection <code>{answer.connection}</code> (data source{' '}
        <code>{answer.dataSource}</code>)
        {answer.rollup &&
          ('id' in answer.rollup
            ? `; rollup ${answer.rollup.id} can answer it`
            : `; no rollup: ${answer.rollup.reason}`)}
      </p>
      <figure className="console-figure">
        <figcaption className="sr-only">SQL</figcaption>
        <pre className="console-code">
          <code>{answer.sql}</code>
        </pre>
      </figure>
      <h4>Bound parameters</h4>
      {answer.params.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ol className="console-params" aria-label="Bound parameters">
          {answer.params.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a parameter is its position
            <li key={i}>
              <code>{paramText(p)}</code>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function EntryDetail({ entry }: { entry: ConsoleEntry }) {
  return (
    <div className="console-detail">
      {entry.error && (
        <div className="console-error">
          <p>
            <strong>{withoutHint(entry.error.message, entry.error.hint)}</strong>
            {entry.error.code && <span className="muted"> ({entry.error.code})</span>}
          </p>
          {entry.error.hint && <p>Hint: {entry.error.hint}</p>}
        </div>
      )}
      <figure className="console-figure">
        <figcaption>
          <h3>Query</h3>
        </figcaption>
        <pre className="console-code">
          <code>{JSON.stringify(entry.query, null, 2)}</code>
        </pre>
      </figure>
      {entry.as && (
        <p className="muted">
          As security context <code>{JSON.stringify(entry.as.securityContext ?? {})}</code>
          {entry.as.roles && (
            <>
              , roles <code>{entry.as.roles.join(', ')}</code>
            </>
          )}
          {entry.as.environment && (
            <>
              , environment <code>{entry.as.environment}</code>
            </>
          )}
        </p>
      )}
      <h3>SQL</h3>
      <SqlDetail entry={entry} />
    </div>
  );
}

/**
 * Every data request of the canvas, newest first: widget, dataset, time, status, cache level,
 * rows, duration; a row opens onto its query, the SQL and bound parameters the server would run
 * for it (as the same customer), and an error's message and hint.
 */
export function DevConsole({ id, log }: { id: string; log: RequestLog }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const { entries } = log.log;
  const section = useRef<HTMLElement>(null);
  // Opened from the toolbar while a tall canvas fills the screen: show it, focus stays on the toggle.
  // (Braces: newer Chromium returns a promise from scrollIntoView, which React would call as a cleanup.)
  useEffect(() => {
    section.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const toggle = (entry: ConsoleEntry) => {
    const next = new Set(open);
    if (next.has(entry.id)) next.delete(entry.id);
    else {
      next.add(entry.id);
      void log.explain(entry);
    }
    setOpen(next);
  };
  return (
    <section id={id} ref={section} className="dev-console" aria-labelledby={`${id}-heading`}>
      <div className="console-head">
        <h2 id={`${id}-heading`}>Developer console</h2>
        <p className="muted">{consoleSummary(log.log)}</p>
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            log.clear();
            setOpen(new Set());
          }}
          disabled={entries.length === 0}
        >
          Clear
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="note">No data requests yet: each widget’s requests appear here as the canvas loads.</p>
      ) : (
        <div className="table-wrap console-table-wrap">
          <table className="table stack console-table" aria-label="Data requests, newest first">
            <thead>
              <tr>
                <th scope="col">Widget</th>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Cache</th>
                <th scope="col">Rows</th>
                <th scope="col">Time</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const expanded = open.has(entry.id);
                const detailId = `${id}-entry-${entry.id}`;
                return (
                  <Fragment key={entry.id}>
                    <tr className={`console-row ${entry.status}`} data-entry={entry.id}>
                      <th scope="row">
                        <span className="console-widget">{widgetText(entry)}</span>
                        {entry.dataset && (
                          <span className="subtitle">
                            <span className="sr-only">dataset </span>
                            {entry.dataset}
                          </span>
                        )}
                      </th>
                      <td data-label="Started">
                        <time dateTime={entry.startedAt}>{clockTime(entry.startedAt)}</time>
                      </td>
                      <td data-label="Status" className="console-status">
                        {statusText(entry)}
                      </td>
                      <td data-label="Cache">{cacheText(entry)}</td>
                      <td data-label="Rows">{entry.rows ?? '–'}</td>
                      <td data-label="Time">{entry.ms} ms</td>
                      <td className="actions">
                        <button
                          type="button"
                          className="button secondary small"
                          aria-expanded={expanded}
                          aria-controls={expanded ? detailId : undefined}
                          aria-label={`Details of ${entry.widgetId ?? 'the request'} at ${clockTime(entry.startedAt)}`}
                          onClick={() => toggle(entry)}
                        >
                          Details
                        </button>
                      </td>
                    </tr>
                    {expanded && (
                      <tr className="console-detail-row" id={detailId}>
                        <td colSpan={COLUMNS}>
                          <EntryDetail entry={entry} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
