/// <reference lib="dom" />
import type { ComponentMeta } from '@inlay/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { canEdit } from '../access.js';
import type { MetaCubeInfo, Role } from '../api.js';
import { Alert } from '../components/Alert.js';
import { DevBanner } from '../components/DevBanner.js';
import { Link } from '../components/Link.js';
import { PageHeading } from '../components/PageHeading.js';
import { fillRequiredMembers } from '../editor/choices.js';
import { addWidget } from '../editor/document.js';
import { Canvas } from '../editor-ui/Canvas.js';
import { DashboardPanel } from '../editor-ui/DashboardPanel.js';
import { DevConsole } from '../editor-ui/DevConsole.js';
import { Palette, type Sample } from '../editor-ui/Palette.js';
import { type PreviewValue, previewTarget } from '../editor-ui/runtime.js';
import { Toolbar } from '../editor-ui/Toolbar.js';
import { useDevReload } from '../editor-ui/useDevReload.js';
import { useEditor } from '../editor-ui/useEditor.js';
import { useRequestLog } from '../editor-ui/useRequestLog.js';
import { WidgetPanel } from '../editor-ui/WidgetPanel.js';
import { useDocumentTitle } from '../hooks.js';
import { dashboardPath, navigate } from '../router.js';

const NO_CUBES: MetaCubeInfo[] = [];
const CONSOLE_ID = 'dev-console';

const prefersDark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/**
 * `/dashboards/<id>/edit`: the editor — palette, canvas (the runtime draws each widget from the
 * draft, "as" a chosen customer), and the inputs or dashboard panel. Every change is one undo step
 * and is autosaved. Viewers and dashboards from code get the same canvas, read-only.
 */
export default function EditorPage({ id, role, csrfToken }: { id: string; role: Role; csrfToken: string }) {
  const editor = useEditor(id, canEdit(role));
  const { load, doc, change } = editor;
  // Under `inlay dev`: a rebuild re-reads metas and cubes, then every widget loads again.
  const dev = useDevReload(editor.reload);
  const [selected, setSelected] = useState<string>();
  const [securityPreset, setSecurityPreset] = useState<string>();
  const [clientPreset, setClientPreset] = useState('');
  const requests = useRequestLog();
  const [consoleOpen, setConsoleOpen] = useState(false);
  const data = load.state === 'done' ? load.data : undefined;
  const editable = Boolean(data && canEdit(role) && data.dashboard.source === 'builder');
  const title = doc.title || data?.dashboard.name || 'Dashboard';
  useDocumentTitle(data ? `Edit ${title}` : 'Editor');

  const presets = data?.presets;
  const security =
    presets?.securityContexts.find((p) => p.name === securityPreset) ?? presets?.securityContexts[0];
  const clientContext = useMemo(
    () =>
      presets?.clientContexts.find((p) => p.name === clientPreset)?.clientContext ?? {
        theme: prefersDark() ? 'dark' : 'light',
      },
    [presets, clientPreset],
  );
  const preview = useMemo<PreviewValue>(
    () => ({
      document: { ...doc, version: 'draft' },
      csrfToken,
      as: {
        securityContext: security?.securityContext ?? {},
        ...(security?.roles ? { roles: security.roles } : {}),
        ...(security?.environment ? { environment: security.environment } : {}),
      },
      dashboard: previewTarget,
      generation: dev.generation,
    }),
    [doc, csrfToken, security, dev.generation],
  );

  // Undo: Ctrl/Cmd+Z; redo: Ctrl/Cmd+Shift+Z (text fields keep their own undo).
  const { undo, redo } = editor;
  useEffect(() => {
    if (!editable) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
      const t = e.target as HTMLElement | null;
      if (
        t &&
        (t.tagName === 'TEXTAREA' ||
          (t.tagName === 'INPUT' && !['checkbox', 'radio'].includes((t as HTMLInputElement).type)))
      )
        return;
      e.preventDefault();
      if (e.shiftKey) redo();
      else undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editable, undo, redo]);

  const cubes = data?.cubes ?? NO_CUBES;
  const add = useCallback(
    (meta: ComponentMeta) => {
      let added: string | undefined;
      change((d) => {
        const next = addWidget(d, meta);
        added = next.id;
        return fillRequiredMembers(next.doc, next.id, meta, cubes);
      });
      if (added) setSelected(added);
    },
    [change, cubes],
  );
  // The palette's live preview: the component alone on a copy of the dashboard, as `add` would make it.
  const sample = useCallback(
    (meta: ComponentMeta): Sample | undefined => {
      const alone = addWidget({ ...doc, widgets: [] }, meta);
      const sampleDoc = fillRequiredMembers(alone.doc, alone.id, meta, cubes);
      const widget = sampleDoc.widgets[0]!;
      return {
        widgetId: alone.id,
        key: JSON.stringify([
          widget,
          sampleDoc.datasets,
          sampleDoc.variables,
          preview.as,
          preview.generation,
        ]),
        preview: { ...preview, document: { ...sampleDoc, version: 'draft' } },
      };
    },
    [doc, cubes, preview],
  );
  const done = async () => {
    await editor.flush();
    navigate(dashboardPath({ id }));
  };

  if (load.state !== 'done' || !data) {
    return (
      <>
        <p className="back">
          <Link href={dashboardPath({ id })}>← Dashboard</Link>
        </p>
        {load.state === 'loading' ? (
          <p role="status" className="note">
            Opening the editor…
          </p>
        ) : (
          <>
            <PageHeading>{load.state === 'missing' ? 'No such dashboard' : 'Editor'}</PageHeading>
            <Alert
              message={
                load.state === 'failed' ? load.error : 'There is no dashboard here: it may have been deleted.'
              }
            />
          </>
        )}
      </>
    );
  }

  const selectedWidget = editable ? doc.widgets.find((w) => w.id === selected) : undefined;
  return (
    <div className={`editor${editable ? '' : ' read-only'}`}>
      <Toolbar
        title={title}
        editable={editable}
        save={editor.save}
        canUndo={editor.canUndo}
        canRedo={editor.canRedo}
        onUndo={undo}
        onRedo={redo}
        presets={data.presets}
        securityPreset={security?.name ?? ''}
        clientPreset={clientPreset}
        onSecurityPreset={setSecurityPreset}
        onClientPreset={setClientPreset}
        onDone={done}
        console={{
          id: CONSOLE_ID,
          open: consoleOpen,
          failed: requests.log.entries.filter((e) => e.status === 'error').length,
          onToggle: () => setConsoleOpen((o) => !o),
        }}
      />
      {!editable && (
        <p className="note read-only">
          {data.dashboard.source === 'code'
            ? 'From code: a read-only preview — change its *.embeddable.yml and push, or duplicate it.'
            : 'A read-only preview: editors and admins change dashboards.'}
        </p>
      )}
      <DevBanner problems={dev.problems} onDismiss={dev.dismiss} />
      <Alert message={editor.editError} />
      <div className="editor-body">
        {editable && <Palette metas={data.metas} onAdd={add} sample={sample} clientContext={clientContext} />}
        {/* The console sits under the canvas, so a widget and its requests are seen together. */}
        <div className="editor-main">
          <section className="editor-canvas" aria-label="Canvas">
            <Canvas
              doc={doc}
              preview={preview}
              clientContext={clientContext}
              editable={editable}
              selected={selectedWidget?.id}
              onSelect={setSelected}
              onChange={change}
            />
          </section>
          {consoleOpen && <DevConsole id={CONSOLE_ID} log={requests} />}
        </div>
        {editable && (
          <aside
            className="editor-panel"
            aria-label={selectedWidget ? 'Widget settings' : 'Dashboard settings'}
          >
            {selectedWidget ? (
              <WidgetPanel
                doc={doc}
                widgetId={selectedWidget.id}
                meta={data.metas[selectedWidget.component]}
                cubes={data.cubes}
                onChange={change}
                onClose={() => setSelected(undefined)}
              />
            ) : (
              <DashboardPanel doc={doc} cubes={data.cubes} onChange={change} />
            )}
          </aside>
        )}
      </div>
    </div>
  );
}
