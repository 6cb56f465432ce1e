import { useId } from 'react';
import type { Presets } from '../api.js';
import { PageHeading } from '../components/PageHeading.js';
import type { SaveState } from '../editor/autosave.js';

export interface ToolbarProps {
  title: string;
  editable: boolean;
  save: SaveState;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  presets: Presets;
  securityPreset: string;
  clientPreset: string;
  onSecurityPreset: (name: string) => void;
  onClientPreset: (name: string) => void;
  onDone: () => void;
  /** The developer console: its panel's id, whether it shows, how many requests failed. */
  console: { id: string; open: boolean; failed: number; onToggle: () => void };
}

const STATUS: Record<SaveState['status'], string> = {
  saved: 'Saved',
  saving: 'Saving…',
  pending: 'Unsaved changes',
  error: 'Not saved',
  conflict: 'Someone else saved this dashboard since you opened it',
};

function SaveStatus({ save }: { save: SaveState }) {
  return (
    <div className={`save-status ${save.status}`} role="status" aria-live="polite">
      {STATUS[save.status]}
      {save.status === 'error' && save.message ? `: ${save.message} (the next change tries again)` : ''}
      {save.status === 'conflict' && (
        <>
          {': your changes here are not saved. '}
          <button type="button" className="button secondary" onClick={() => window.location.reload()}>
            Reload
          </button>
        </>
      )}
    </div>
  );
}

/** Title, undo/redo, the autosave's state, "view as", the console's toggle and Done. */
export function Toolbar(props: ToolbarProps) {
  const id = useId();
  const { presets } = props;
  return (
    <div className="editor-toolbar">
      <div className="editor-title">
        <PageHeading>
          {props.title}
          {!props.editable && <span className="muted"> (read-only preview)</span>}
        </PageHeading>
      </div>
      {props.editable && (
        <div className="toolbar-group">
          <button
            type="button"
            className="button secondary"
            onClick={props.onUndo}
            disabled={!props.canUndo}
            aria-keyshortcuts="Control+Z Meta+Z"
          >
            Undo
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={props.onRedo}
            disabled={!props.canRedo}
            aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
          >
            Redo
          </button>
        </div>
      )}
      {props.editable && <SaveStatus save={props.save} />}
      <div className="toolbar-group view-as">
        <div className="field inline">
          <label htmlFor={`${id}-sc`}>View as</label>
          <select
            id={`${id}-sc`}
            value={props.securityPreset}
            onChange={(e) => props.onSecurityPreset(e.target.value)}
          >
            {presets.securityContexts.length === 0 && <option value="">No security context</option>}
            {presets.securityContexts.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor={`${id}-cc`}>Client context</label>
          <select
            id={`${id}-cc`}
            value={props.clientPreset}
            onChange={(e) => props.onClientPreset(e.target.value)}
          >
            <option value="">Default (this browser)</option>
            {presets.clientContexts.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button
        type="button"
        className="button secondary console-toggle"
        aria-expanded={props.console.open}
        aria-controls={props.console.open ? props.console.id : undefined}
        onClick={props.console.onToggle}
      >
        Console
        {props.console.failed > 0 && (
          <span className="console-badge">
            {props.console.failed}
            <span className="sr-only"> failed</span>
          </span>
        )}
      </button>
      <button type="button" className="button primary" onClick={props.onDone}>
        Done
      </button>
    </div>
  );
}
