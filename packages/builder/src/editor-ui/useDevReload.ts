/// <reference lib="dom" />
import type { DevEvent, DevProblem } from '@inlay/core';
import { useEffect, useRef, useState } from 'react';

/**
 * Under `inlay dev`: follows the server's event stream and reloads what a rebuild changed, in
 * place. Its server marks every answer with the header below; any other server has no such route,
 * and the page then never opens a stream (a request that 404s would log an error in the console).
 * The names mirror `DEV_EVENTS_PATH` and `DEV_EVENTS_HEADER` in @inlay/core, whose values the
 * builder does not bundle.
 */
const EVENTS_PATH = '/api/v1/dev/events';
const HEADER = 'x-inlay-dev-events';

export interface DevProblems {
  source: 'build' | 'types' | 'push';
  problems: DevProblem[];
}

export interface DevReload {
  /** Grows by one after each reload: a new value makes every widget preview load again. */
  generation: number;
  /** The last build's problems, until a good build or the person dismisses them. */
  problems: DevProblems | undefined;
  dismiss: () => void;
}

/** Whether this page's server is `inlay dev`'s; asked once per page. */
let probing: Promise<boolean> | undefined;
function isDevServer(): Promise<boolean> {
  probing ??= fetch('/', { method: 'HEAD', cache: 'no-store' }).then(
    (res) => res.headers.get(HEADER) === EVENTS_PATH,
    () => false,
  );
  return probing;
}

/**
 * `reload` re-reads what the page shows from the server (metas, `/meta`, the dashboard); once it
 * has, `generation` moves on so previews reload too. Nothing else on the page changes: no
 * navigation, the editor's selection, history and scroll stay as they are.
 */
export function useDevReload(reload: () => Promise<void>): DevReload {
  const [generation, setGeneration] = useState(0);
  const [problems, setProblems] = useState<DevProblems>();
  const reloadRef = useRef(reload);
  reloadRef.current = reload;

  useEffect(() => {
    let source: EventSource | undefined;
    let live = true;
    // Reloads run one after another: a burst of events ends with the latest state shown.
    let chain = Promise.resolve();
    void isDevServer().then((dev) => {
      if (!dev || !live) return;
      source = new EventSource(EVENTS_PATH);
      source.onmessage = (message) => {
        const event = JSON.parse(String(message.data)) as DevEvent;
        if (event.type === 'error') setProblems({ source: event.source, problems: event.problems });
        else if (event.type === 'ok') setProblems(undefined);
        else if (event.type === 'components' || event.type === 'models') {
          setProblems(undefined);
          chain = chain
            .then(() => reloadRef.current())
            .catch(() => {})
            .then(() => {
              if (live) setGeneration((g) => g + 1);
            });
        }
      };
    });
    return () => {
      live = false;
      source?.close();
    };
  }, []);

  return { generation, problems, dismiss: () => setProblems(undefined) };
}
