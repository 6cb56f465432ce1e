/**
 * CSS every standard component shares (layout, states, the visually hidden table). The card
 * around a widget (surface, border, padding) is the runtime's, the same for every component,
 * standard or a team's own; a component draws none, so cards never nest. Each component's
 * `styles` starts with it; the runtime adopts each distinct string once per shadow root, so the
 * repetition costs a few hundred bytes, not a second stylesheet per widget.
 */
export const baseStyles = `
.inlay-widget { box-sizing: border-box; height: 100%; display: flex; flex-direction: column; gap: 8px;
  color: var(--inlay-fg, #1f2328); font-family: var(--inlay-font, system-ui, sans-serif);
  min-width: 0; overflow: hidden; container-type: inline-size; }
.inlay-widget *, .inlay-widget *::before, .inlay-widget *::after { box-sizing: border-box; }
.inlay-title { margin: 0; font-size: 0.875rem; font-weight: 600; color: var(--inlay-fg, #1f2328);
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.inlay-body { position: relative; flex: 1 1 auto; min-height: 0; }
.inlay-state { display: flex; align-items: center; justify-content: center; height: 100%; min-height: 48px;
  margin: 0; font-size: 0.875rem; color: var(--inlay-muted, #59636e); text-align: center; }
.inlay-state-error { color: var(--inlay-danger, #b42318); overflow-wrap: anywhere; }
.inlay-skeleton { width: 100%; height: 100%; min-height: 24px; border-radius: calc(var(--inlay-radius, 8px) / 2);
  background: linear-gradient(90deg, var(--inlay-border, #d8dee4) 0%, var(--inlay-bg, #f6f7f9) 50%,
  var(--inlay-border, #d8dee4) 100%); background-size: 200% 100%; animation: inlay-pulse 1.4s ease-in-out infinite;
  opacity: 0.6; }
@keyframes inlay-pulse { 0% { background-position: 100% 0; } 100% { background-position: -100% 0; } }
@media (prefers-reduced-motion: reduce) { .inlay-skeleton { animation: none; } }
.inlay-sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
.inlay-row-actions:focus-within { position: absolute !important; z-index: 2; width: auto; height: auto;
  max-height: 75%; inset: auto 8px 8px 8px; margin: 0; padding: 4px; overflow: auto; clip: auto;
  clip-path: none; white-space: normal; background: var(--inlay-surface, #fff);
  border: 1px solid var(--inlay-border, #d8dee4); border-radius: 6px; }
.inlay-row-actions caption { text-align: start; font-weight: 600; padding: 4px; }
.inlay-row-actions th, .inlay-row-actions td { padding: 2px 6px; text-align: start; }
.inlay-button { font: inherit; font-size: 0.8125rem; color: var(--inlay-fg, #1f2328); background: var(--inlay-bg, #f6f7f9);
  border: 1px solid var(--inlay-border, #d8dee4); border-radius: calc(var(--inlay-radius, 8px) / 2);
  padding: 4px 10px; cursor: pointer; }
.inlay-button:disabled { opacity: 0.5; cursor: default; }
.inlay-widget :focus-visible { outline: 2px solid var(--inlay-accent, #2563eb); outline-offset: 2px; }
`;

/** Labelled native form controls (the pickers): one look for every control. */
export const controlStyles = `
.inlay-field { display: flex; flex-direction: column; gap: 4px; }
.inlay-label { font-size: 0.8125rem; font-weight: 600; color: var(--inlay-fg, #1f2328); }
.inlay-select, .inlay-date { font: inherit; font-size: 0.875rem; color: var(--inlay-fg, #1f2328);
  background: var(--inlay-bg, #f6f7f9); border: 1px solid var(--inlay-border, #d8dee4);
  border-radius: calc(var(--inlay-radius, 8px) / 2); padding: 6px 8px; min-width: 0; color-scheme: inherit; }
`;
