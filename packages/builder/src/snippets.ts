/**
 * The Embed panel's code, filled in for one dashboard and this server's origin: the page's
 * script tag and element, and the host backend's token request (the API key stays on the
 * server) in JavaScript, Python and curl. Pure, so they are easy to check.
 */

export interface SnippetInput {
  /** This Inlay server, e.g. `https://inlay.example.com`. */
  origin: string;
  /** The dashboard's name (`embeddableId`). */
  name: string;
}

export const EXPIRY_SECONDS = 3600;
/** An example only: the values the models' row-level security reads as `securityContext.x`. */
export const SECURITY_CONTEXT_EXAMPLE = { customerId: 'customer-123' };
export const USER_EXAMPLE = 'user-123';

export interface TokenSnippet {
  id: 'javascript' | 'python' | 'curl';
  label: string;
  code: string;
}

export function scriptTag({ origin }: SnippetInput): string {
  return `<script type="module" src="${origin}/embed/v1/inlay.js"></script>`;
}

export function elementTag(): string {
  return '<inlay-dashboard token="…"></inlay-dashboard>';
}

function body({ name }: SnippetInput) {
  return {
    embeddableId: name,
    user: USER_EXAMPLE,
    expiryInSeconds: EXPIRY_SECONDS,
    securityContext: SECURITY_CONTEXT_EXAMPLE,
  };
}

function javascript(input: SnippetInput): string {
  const b = body(input);
  return `// On your server (Node 18+): the API key never goes to a browser.
const res = await fetch('${input.origin}/api/v1/security-token', {
  method: 'POST',
  headers: {
    Authorization: \`Bearer \${process.env.INLAY_API_KEY}\`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({
    embeddableId: '${b.embeddableId}',
    user: '${b.user}', // who is looking
    expiryInSeconds: ${b.expiryInSeconds},
    securityContext: { customerId: '${b.securityContext.customerId}' }, // what they may see
  }),
});
if (!res.ok) throw new Error(\`Inlay answered \${res.status}\`);
const { token } = await res.json();
`;
}

function python(input: SnippetInput): string {
  const b = body(input);
  return `# On your server: the API key never goes to a browser.
import os
import requests

res = requests.post(
    "${input.origin}/api/v1/security-token",
    headers={"Authorization": f"Bearer {os.environ['INLAY_API_KEY']}"},
    json={
        "embeddableId": "${b.embeddableId}",
        "user": "${b.user}",  # who is looking
        "expiryInSeconds": ${b.expiryInSeconds},
        "securityContext": {"customerId": "${b.securityContext.customerId}"},  # what they may see
    },
    timeout=10,
)
res.raise_for_status()
token = res.json()["token"]
`;
}

function curl(input: SnippetInput): string {
  return `curl -s -X POST '${input.origin}/api/v1/security-token' \\
  -H "Authorization: Bearer $INLAY_API_KEY" \\
  -H 'Content-Type: application/json' \\
  -d '${JSON.stringify(body(input))}'
# {"token":"eyJhbGciOiJIUzI1NiIs…"}
`;
}

export function tokenSnippets(input: SnippetInput): TokenSnippet[] {
  return [
    { id: 'javascript', label: 'JavaScript', code: javascript(input) },
    { id: 'python', label: 'Python', code: python(input) },
    { id: 'curl', label: 'curl', code: curl(input) },
  ];
}
