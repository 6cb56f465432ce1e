import { RENDER_PENDING_ATTRIBUTE } from '@inlay/core/dashboard-types';

const SELECTOR = `[${RENDER_PENDING_ATTRIBUTE}]`;

/**
 * Resolves once nothing under `root` is still drawing (see `RENDER_PENDING_ATTRIBUTE`), or after
 * `timeoutMs`: a component that never finishes must not hold `dataLoad` back for good.
 */
export function whenSettled(root: Element, timeoutMs = 5_000): Promise<void> {
  if (!root.querySelector(SELECTOR)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const observer = new MutationObserver(() => {
      if (!root.querySelector(SELECTOR)) done();
    });
    observer.observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: [RENDER_PENDING_ATTRIBUTE],
    });
    const timer = setTimeout(done, timeoutMs);
  });
}
