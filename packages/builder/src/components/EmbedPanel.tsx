/// <reference lib="dom" />
import { useId, useState } from 'react';
import { EXPIRY_SECONDS, elementTag, scriptTag, tokenSnippets } from '../snippets.js';
import { CodeSnippet } from './CodeSnippet.js';
import { Tabs } from './Tabs.js';

/**
 * "Embed": how to put this dashboard in a product, filled in with its name and this server's
 * origin — the backend's token request (JavaScript, Python, curl) and the page's two tags.
 */
export function EmbedPanel({ name, production }: { name: string; production: string | undefined }) {
  const [open, setOpen] = useState(false);
  const panel = useId();
  const input = { origin: window.location.origin, name };
  return (
    <section className="section embed" aria-labelledby="embed-heading">
      <h2 id="embed-heading">
        <button
          type="button"
          className="disclosure"
          aria-expanded={open}
          aria-controls={panel}
          onClick={() => setOpen(!open)}
        >
          <span className="chevron" aria-hidden="true" />
          Embed
        </button>
      </h2>
      <div id={panel} hidden={!open}>
        {!production && (
          <p className="note warning">
            Nothing is published to production yet. A token shows the production version unless it asks for
            another (<code>"savedVersion": "v1"</code>, or a tag): publish a version first.
          </p>
        )}
        <h3>1. Your server asks for a token</h3>
        <p className="note">
          With the workspace API key, for the signed-in customer: <code>user</code> is who is looking,{' '}
          <code>securityContext</code> what your models’ row-level security reads (an example here), and the
          token lasts {EXPIRY_SECONDS / 60} minutes.
        </p>
        <Tabs
          label="Token request"
          tabs={tokenSnippets(input).map((s) => ({
            id: s.id,
            label: s.label,
            content: <CodeSnippet label={`${s.label} token request`} code={s.code} />,
          }))}
        />
        <h3>2. Your page shows the dashboard</h3>
        <p className="note">
          Load the runtime once, then put the element where the dashboard goes, with the token.
        </p>
        <CodeSnippet label="Script tag" code={scriptTag(input)} />
        <CodeSnippet label="Element" code={elementTag()} />
        <p className="note">
          A page on another origin must be allowed for the workspace (<code>allowedOrigins</code> in the
          workspace settings).
        </p>
      </div>
    </section>
  );
}
