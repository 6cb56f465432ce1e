import type { ComponentMeta } from '@inlay/core';
import { byCategory } from './metas.js';

/** The standard components by category, each an "Add" button with its description. */
export function Palette({
  metas,
  onAdd,
}: {
  metas: Record<string, ComponentMeta>;
  onAdd: (meta: ComponentMeta) => void;
}) {
  return (
    <nav className="palette" aria-labelledby="palette-heading">
      <h2 id="palette-heading">Components</h2>
      {byCategory(metas).map(([category, list]) => (
        <section key={category} aria-label={category}>
          <h3>{category}</h3>
          <ul>
            {list.map((meta) => (
              <li key={meta.name}>
                <button
                  type="button"
                  className="palette-add"
                  onClick={() => onAdd(meta)}
                  aria-describedby={`palette-${meta.name}`}
                >
                  Add {meta.label}
                </button>
                {meta.description && (
                  <p className="hint" id={`palette-${meta.name}`}>
                    {meta.description}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
