// biome-ignore-all lint/suspicious/noArrayIndexKey: Markdown blocks and spans are positional; the text is re-rendered whole
import type { ReactNode } from 'react';

/**
 * A small Markdown subset rendered as React elements — never as HTML text, so nothing a dashboard
 * author types can inject markup or script: paragraphs, `#`–`###` headings, `-`/`*` and `1.`
 * lists, **bold**, *italic*, `code` and [links](https://…) (http, https and mailto only).
 */
export function renderMarkdown(source: string): ReactNode[] {
  const blocks = source.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  return blocks.map((block, i) => renderBlock(block.trim(), i)).filter((b) => b !== null);
}

function renderBlock(block: string, key: number): ReactNode {
  if (!block) return null;
  const heading = /^(#{1,3})\s+(.*)$/.exec(block);
  if (heading && !block.includes('\n')) {
    const level = heading[1]!.length;
    const content = inline(heading[2]!);
    return level === 1 ? (
      <h3 key={key}>{content}</h3>
    ) : level === 2 ? (
      <h4 key={key}>{content}</h4>
    ) : (
      <h5 key={key}>{content}</h5>
    );
  }
  const lines = block.split('\n');
  if (lines.every((l) => /^\s*[-*]\s+/.test(l)))
    return (
      <ul key={key}>
        {lines.map((l, j) => (
          <li key={j}>{inline(l.replace(/^\s*[-*]\s+/, ''))}</li>
        ))}
      </ul>
    );
  if (lines.every((l) => /^\s*\d+[.)]\s+/.test(l)))
    return (
      <ol key={key}>
        {lines.map((l, j) => (
          <li key={j}>{inline(l.replace(/^\s*\d+[.)]\s+/, ''))}</li>
        ))}
      </ol>
    );
  return (
    <p key={key}>{lines.flatMap((l, j) => (j === 0 ? [inline(l)] : [<br key={`br${j}`} />, inline(l)]))}</p>
  );
}

const TOKEN = /(\*\*[^*]+\*\*|\*[^*]+\*|_[^_]+_|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;
const SAFE_URL = /^(https?:|mailto:)/i;

function inline(text: string): ReactNode {
  const parts = text.split(TOKEN);
  return parts.map((part, i) => {
    if (i % 2 === 0) return part;
    if (part.startsWith('**')) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith('`')) return <code key={i}>{part.slice(1, -1)}</code>;
    if (part.startsWith('[')) {
      const m = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part)!;
      const href = m[2]!;
      return SAFE_URL.test(href) ? (
        <a key={i} href={href} target="_blank" rel="noopener noreferrer">
          {m[1]}
        </a>
      ) : (
        m[1]
      );
    }
    return <em key={i}>{part.slice(1, -1)}</em>;
  });
}
