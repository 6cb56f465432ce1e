/** The runtime's own CSS (grid and widget chrome), adopted into every embed's shadow root. */

/** Height of one grid row; a widget's stored height is in rows. */
export const ROW_HEIGHT = 60;
export const GAP = 12;
/** Below this width (of the embed, not the window) widgets stack in one column. */
export const ONE_COLUMN_BELOW = 640;

export const BASE_CSS = `
:host { all: initial; display: block; container-type: inline-size; }
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
.root {
  font-family: var(--inlay-font); font-size: 14px; line-height: 1.4; color: var(--inlay-fg);
  background: var(--inlay-bg); padding: ${GAP}px; text-align: start; min-height: 100%;
}
.root.single { padding: 0; background: transparent; }
.grid {
  display: grid; grid-template-columns: repeat(12, minmax(0, 1fr));
  grid-auto-rows: ${ROW_HEIGHT}px; gap: ${GAP}px;
}
.widget {
  position: relative; display: flex; flex-direction: column; min-width: 0; min-height: 0;
  background: var(--inlay-surface); border: 1px solid var(--inlay-border);
  border-radius: var(--inlay-radius); padding: ${GAP}px; overflow: hidden;
}
.single .widget { min-height: calc(var(--inlay-rows, 4) * ${ROW_HEIGHT}px); }
.body { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
.body > * { flex: 1 1 auto; min-height: 0; }
.status { margin: auto; color: var(--inlay-muted); font-size: 13px; }
.error {
  margin: 0 0 8px; padding: 6px 8px; border-radius: 6px; font-size: 13px; color: var(--inlay-danger);
  border: 1px solid currentColor; overflow-wrap: anywhere;
}
.page-error { margin: 0; }
@container (max-width: ${ONE_COLUMN_BELOW - 1}px) {
  .grid { grid-template-columns: minmax(0, 1fr); grid-auto-rows: auto; }
  .grid > .widget { grid-column: 1 / -1 !important; grid-row: auto !important;
    min-height: calc(var(--inlay-rows, 4) * ${ROW_HEIGHT}px); }
}
`;
