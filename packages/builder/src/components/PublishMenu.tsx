/// <reference lib="dom" />
import { type KeyboardEvent, useId, useRef } from 'react';
import { PUBLISH_TAGS, type PublishTag } from '../api.js';

const number = (version: string | undefined) => (version ? Number(version.slice(1)) : 0);

/** What pointing `tag` (now at `current`) at `version` does: publish, roll back, or nothing. */
export function publishAction(tag: PublishTag, version: string, current: string | undefined) {
  if (current === version) return { kind: 'current' as const, label: `${tag} is on ${version}` };
  if (current && number(current) > number(version)) {
    return { kind: 'rollBack' as const, label: `Roll back ${tag} to ${version}` };
  }
  return { kind: 'publish' as const, label: `Publish ${version} to ${tag}` };
}

export interface PublishMenuProps {
  version: string;
  /** Where each tag points now. */
  tags: Partial<Record<PublishTag, string>>;
  open: boolean;
  onToggle: (open: boolean) => void;
  onPublish: (tag: PublishTag) => void;
}

/**
 * "Publish v2 to…": a disclosure button showing one button per tag under it — publish, or roll
 * back when the tag is on a newer version (the tag it is on already says so). Escape closes it.
 */
export function PublishMenu({ version, tags, open, onToggle, onPublish }: PublishMenuProps) {
  const id = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const close = () => {
    onToggle(false);
    toggle.current?.focus();
  };
  function keyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      close();
    }
  }
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape from the buttons inside closes it.
    <div className="publish" onKeyDown={keyDown}>
      <button
        ref={toggle}
        type="button"
        className="button secondary small"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => onToggle(!open)}
      >
        Publish {version} to…
      </button>
      <ul id={id} className="publish-options" hidden={!open}>
        {PUBLISH_TAGS.map((tag) => {
          const action = publishAction(tag, version, tags[tag]);
          return (
            <li key={tag}>
              {action.kind === 'current' ? (
                <span className="publish-current">{action.label}</span>
              ) : (
                <button
                  type="button"
                  className="button small secondary"
                  onClick={() => {
                    close();
                    onPublish(tag);
                  }}
                >
                  {action.label}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
