import { useEffect, useState } from 'react';
import { api, type Embeddable } from '../api.js';
import { Alert } from '../components/Alert.js';
import { PageHeading } from '../components/PageHeading.js';
import { errorText } from '../messages.js';

type Load =
  | { state: 'loading' }
  | { state: 'done'; embeddables: Embeddable[] }
  | { state: 'failed'; error: string };

/** `/` when signed in: the workspace's dashboards (read-only for now; the editor comes later). */
export default function HomePage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    api.embeddables().then(
      (embeddables) => live && setLoad({ state: 'done', embeddables }),
      (err: unknown) =>
        live && setLoad({ state: 'failed', error: errorText(err, 'Loading the dashboards failed.') }),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <PageHeading id="dashboards-heading">Dashboards</PageHeading>
      <Alert message={load.state === 'failed' ? load.error : undefined} />
      {load.state === 'loading' && (
        <p role="status" className="note">
          Loading dashboards…
        </p>
      )}
      {load.state === 'done' && load.embeddables.length === 0 && <p className="note">No dashboards yet.</p>}
      {load.state === 'done' && load.embeddables.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-labelledby="dashboards-heading">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {load.embeddables.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <span className="name">{e.name}</span>
                    <span className="id">{e.id}</span>
                  </th>
                  <td>
                    <Tags tags={e.tags} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Tags({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="tags">
      {entries.map(([tag, version]) => (
        <li key={tag} className="tag">
          {tag}: {version}
        </li>
      ))}
    </ul>
  );
}
