/// <reference lib="dom" />
import { useEffect, useRef, useState } from 'react';

/** Selects the text of `el`, so Ctrl+C / ⌘C copies it. */
function selectText(el: HTMLElement) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

/**
 * A block of code with a Copy button: the clipboard when the browser allows it, with a visible
 * "Copied"; otherwise the text is selected and the person is told to press Ctrl+C.
 */
export function CodeSnippet({ label, code }: { label: string; code: string }) {
  const [copied, setCopied] = useState<string>();
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(undefined), 4000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(code);
      setCopied('Copied');
    } catch {
      if (pre.current) selectText(pre.current);
      const mac = /Mac|iPhone|iPad/.test(navigator.platform);
      setCopied(`Selected: press ${mac ? '⌘C' : 'Ctrl+C'} to copy`);
    }
  }

  return (
    <figure className="snippet">
      <figcaption className="snippet-bar">
        <span className="snippet-label">{label}</span>
        <span role="status" className="copied">
          {copied}
        </span>
        <button type="button" className="button secondary small" aria-label={`Copy ${label}`} onClick={copy}>
          Copy
        </button>
      </figcaption>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a long line scrolls sideways, so the keyboard must reach it. */}
      <pre ref={pre} tabIndex={0}>
        <code>{code}</code>
      </pre>
    </figure>
  );
}
