// The "Acme SaaS" page's own script: asks Acme's backend for a token for the chosen customer and
// hands it to <inlay-dashboard>. Served as a file (not inline) so the page runs under a strict CSP.

const dashboard = document.getElementById('dashboard');
const select = document.getElementById('customer');
const status = document.getElementById('status');
const lead = document.getElementById('lead');
const dark = matchMedia('(prefers-color-scheme: dark)');
const STATES = { 'acme-west': 'California', 'acme-east': 'New York and New Jersey', 'acme-south': 'Texas' };

function say(text, kind = 'info') {
  status.textContent = text;
  status.dataset.kind = kind;
}

function clientContext() {
  return JSON.stringify({
    locale: navigator.language || 'en-US',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    theme: dark.matches ? 'dark' : 'light',
  });
}

/** What the host's frontend does: ask its own backend, never Inlay, for a token. */
async function tokenFor(customer) {
  const res = await fetch('/demo/api/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customer }),
  });
  if (!res.ok) throw new Error(`the token route answered ${res.status}`);
  return res.json();
}

let current = '';
async function useCustomer(customer) {
  current = customer;
  say('Signing in…');
  try {
    const { token, customer: who } = await tokenFor(customer);
    if (customer !== current) return; // switched again meanwhile
    dashboard.setAttribute('token', token);
    lead.textContent = `${who.name}: flights leaving ${STATES[customer] ?? 'your states'}, January–June 2001.`;
    say(`Signed in as ${who.name}. Loading the dashboard…`);
    const url = new URL(location.href);
    url.searchParams.set('customer', customer);
    history.replaceState(null, '', url);
  } catch (e) {
    say(`Could not sign in: ${e.message}`, 'error');
  }
}

dashboard.setAttribute('client-context', clientContext());
dark.addEventListener('change', () => dashboard.setAttribute('client-context', clientContext()));

dashboard.addEventListener('dataLoad', (e) => say(`Up to date (${Math.round(e.detail?.ms ?? 0)} ms).`));
dashboard.addEventListener('variablesChange', (e) => {
  const changed = (e.detail ?? []).map((v) => v.variableName).join(', ');
  if (changed) say(`Filtering by ${changed}…`);
});
dashboard.addEventListener('embeddableError', (e) =>
  say(e.detail?.errorMessage ?? 'Something went wrong.', 'error'),
);
// Renew before expiry: the dashboard keeps its state, nothing reloads.
dashboard.addEventListener('tokenExpiring', () => useCustomer(current));

select.addEventListener('change', () => useCustomer(select.value));

const wanted = new URL(location.href).searchParams.get('customer');
if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
useCustomer(select.value);

// Without the runtime (a server built without it), say so instead of showing an empty box.
setTimeout(() => {
  if (!customElements.get('inlay-dashboard'))
    say('The embed runtime (/embed/v1/inlay.js) did not load.', 'error');
}, 5000);
