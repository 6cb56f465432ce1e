/// <reference lib="dom" />
import type { ComponentMeta } from '@inlay/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type MetaCubeInfo, type OpenedEmbeddable, type Presets } from '../api.js';
import { Autosaver, ConflictError, type SaveState } from '../editor/autosave.js';
import { type Draft, EditError } from '../editor/document.js';
import { canRedo, canUndo, type History, record, redo, startHistory, undo } from '../editor/history.js';
import { errorText } from '../messages.js';
import { loadComponentMetas } from './metas.js';

/**
 * The editor's state: the dashboard, its document under undo/redo, the autosave, and what the
 * panels choose from (component metas, `/meta` cubes, "view as" presets). Every change goes
 * through `change` (history + autosave); read-only editors change nothing and save nothing.
 */
export interface EditorData {
  dashboard: OpenedEmbeddable;
  metas: Record<string, ComponentMeta>;
  cubes: MetaCubeInfo[];
  presets: Presets;
}

export type EditorLoad =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'failed'; error: string }
  | { state: 'done'; data: EditorData };

const NO_PRESETS: Presets = { securityContexts: [], clientContexts: [] };

export function useEditor(id: string, editable: boolean) {
  const [load, setLoad] = useState<EditorLoad>({ state: 'loading' });
  const [history, setHistory] = useState<History>(() =>
    startHistory({ id, name: id, variables: [], datasets: [], widgets: [] }),
  );
  const historyRef = useRef(history);
  const [save, setSave] = useState<SaveState>({ status: 'saved', savedAt: null });
  const [editError, setEditError] = useState<string>();
  const saver = useRef<Autosaver | undefined>(undefined);
  // Set while the page is being hidden or closed: saves then must outlive it.
  const leaving = useRef(false);

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const [dashboard, metas, cubes, presets] = await Promise.all([
          api.embeddable(id),
          loadComponentMetas(),
          api.meta().catch(() => [] as MetaCubeInfo[]),
          api.presets().catch(() => NO_PRESETS),
        ]);
        if (!live) return;
        const doc = dashboard.document as unknown as Draft;
        const start = startHistory(doc);
        historyRef.current = start;
        setHistory(start);
        if (editable && dashboard.source === 'builder') {
          saver.current = new Autosaver(
            async (draft, base) => {
              try {
                return await api.saveDraft(id, draft, base, { keepalive: leaving.current });
              } catch (err) {
                if (err instanceof ApiError && err.status === 409) throw new ConflictError(err.message);
                throw err;
              }
            },
            dashboard.draftUpdatedAt,
            (state) => setSave(state),
          );
        }
        setLoad({ state: 'done', data: { dashboard, metas, cubes, presets } });
      } catch (err) {
        if (!live) return;
        if (err instanceof ApiError && err.status === 404) setLoad({ state: 'missing' });
        else setLoad({ state: 'failed', error: errorText(err, 'Opening the editor failed.') });
      }
    })();
    return () => {
      live = false;
      saver.current?.dispose();
      saver.current = undefined;
    };
  }, [id, editable]);

  // Closing the tab, leaving for another site or switching away saves what is waiting at once;
  // with changes still unsaved, the browser asks before it closes the page.
  useEffect(() => {
    const flushNow = () => {
      if (!saver.current) return;
      leaving.current = true;
      void saver.current.flush().finally(() => {
        leaving.current = false;
      });
    };
    const hide = () => {
      if (document.visibilityState === 'hidden') flushNow();
    };
    const beforeUnload = (e: BeforeUnloadEvent) => {
      const status = saver.current?.state.status;
      if (status !== 'pending' && status !== 'saving') return;
      flushNow();
      e.preventDefault();
    };
    document.addEventListener('visibilitychange', hide);
    window.addEventListener('pagehide', flushNow);
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      document.removeEventListener('visibilitychange', hide);
      window.removeEventListener('pagehide', flushNow);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, []);

  const commit = useCallback((next: History) => {
    if (next === historyRef.current) return;
    const changed = next.present !== historyRef.current.present;
    historyRef.current = next;
    setHistory(next);
    if (changed) saver.current?.schedule(next.present);
  }, []);

  /** One change to the document: recorded for undo and autosaved; an `EditError` is shown instead. */
  const change = useCallback(
    (edit: (doc: Draft) => Draft): boolean => {
      if (!saver.current) return false;
      try {
        const next = edit(historyRef.current.present);
        setEditError(undefined);
        commit(record(historyRef.current, next));
        return true;
      } catch (err) {
        if (!(err instanceof EditError)) throw err;
        setEditError(`That change was not made: ${err.message}.`);
        return false;
      }
    },
    [commit],
  );
  const onUndo = useCallback(() => saver.current && commit(undo(historyRef.current)), [commit]);
  const onRedo = useCallback(() => saver.current && commit(redo(historyRef.current)), [commit]);
  const flush = useCallback(async () => saver.current?.flush(), []);
  /**
   * What a rebuild under `inlay dev` may have changed — component metas (and their URLs, which
   * the runtime is told again) and `/meta` — read again; the document and its history stay.
   */
  const reload = useCallback(async () => {
    const [metas, cubes] = await Promise.all([loadComponentMetas(), api.meta().catch(() => undefined)]);
    setLoad((l) =>
      l.state === 'done' ? { state: 'done', data: { ...l.data, metas, cubes: cubes ?? l.data.cubes } } : l,
    );
  }, []);

  return {
    load,
    doc: history.present,
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    save,
    editError,
    clearEditError: () => setEditError(undefined),
    change,
    undo: onUndo,
    redo: onRedo,
    flush,
    reload,
  };
}

export type Editor = ReturnType<typeof useEditor>;
