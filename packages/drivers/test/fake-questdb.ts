/**
 * A stand-in for QuestDB's PostgreSQL wire endpoint, enough for node-postgres: login with a
 * backend key per connection, simple and extended queries, errors with SQLSTATE 00000 as QuestDB
 * sends them, statements that never answer on their own, and how QuestDB stops them: a cancel
 * request, or `query_activity()` and `CANCEL QUERY <id>`, each answered "cancelled by user" on the
 * statement's connection (either can be switched off, as a plan that never checks ignores both).
 * Records cancel requests, cancelled query ids and closed connections.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** The first connection's backend process id; each further connection gets the next. */
export const FAKE_FIRST_PID = 4242;
export const FAKE_SECRET = -123456789;

type Column = [name: string, oid: number, value: string | null];

/** Column sets the fake answers with, chosen by a word in the SQL. */
const ANSWERS: Record<string, Column[]> = {
  values: [
    ['ts', 1114, '2001-02-03 04:05:06.789123'],
    ['ts_z', 1114, '2001-02-03T04:05:06.789Z'],
    ['n', 20, '42'],
    ['big', 20, '9007199254740993'],
    ['dec', 1700, '12.50'],
    ['dbl', 701, '1.25'],
    ['i', 23, '7'],
    ['b', 16, 't'],
    ['s', 1043, 'héllo'],
    ['nul', 20, null],
  ],
  default: [['ok', 23, '1']],
};

function msg(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');

function rowDescription(cols: Column[]): Buffer {
  const fields = cols.map(([name, oid]) =>
    Buffer.concat([cstr(name), int32(0), int16(0), int32(oid), int16(-1), int32(-1), int16(0)]),
  );
  return msg('T', Buffer.concat([int16(cols.length), ...fields]));
}

function dataRow(cols: Column[]): Buffer {
  const values = cols.map(([, , v]) => {
    if (v === null) return int32(-1);
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([int32(b.length), b]);
  });
  return msg('D', Buffer.concat([int16(cols.length), ...values]));
}

function errorResponse(message: string, position = 0): Buffer {
  const f = (code: string, text: string) => Buffer.concat([Buffer.from(code, 'latin1'), cstr(text)]);
  return msg(
    'E',
    Buffer.concat([
      f('S', 'ERROR'),
      f('C', '00000'),
      f('M', message),
      f('P', String(position)),
      Buffer.from([0]),
    ]),
  );
}

const ready = () => msg('Z', Buffer.from('I', 'latin1'));

export interface FakeQuestDB {
  port: number;
  cancelRequests: { pid: number; secret: number }[];
  /** SQL texts received, in order. */
  statements: string[];
  /** Ids stopped by `CANCEL QUERY`. */
  cancelledQueries: string[];
  closedConnections: number;
  /** When set, CREATE statements fail as they do for QuestDB's read-only user. */
  refuseWrites: boolean;
  /** Whether a cancel request stops the connection's statement (QuestDB's does). */
  honoursCancelRequest: boolean;
  /** Whether `CANCEL QUERY` stops the statement (QuestDB's does). */
  honoursCancelQuery: boolean;
  /** Whether new connections are read: a QuestDB whose workers are all busy reads none. */
  readsNewConnections: boolean;
  close(): Promise<void>;
}

/** A statement left hanging, as `query_activity()` lists it. */
interface Hung {
  id: string;
  text: string;
  pid: number;
  stop: () => void;
}

/** The SQL without the driver's marker comment, if any. */
export const withoutMarker = (sql: string) => sql.replace(/\n\/\* inlay:[0-9a-f]{16} \*\/$/, '');

/** `hang`: never answer; `fail`: a QuestDB error; `values`: one row of typed values. */
function answer(sql: string, params: string[], fake: FakeQuestDB, hung: Map<string, Hung>): Buffer[] | null {
  if (sql.includes('hang')) return null;
  if (sql.includes('query_activity()')) return activity(params[0] ?? '', hung);
  const cancel = /^CANCEL QUERY (\d+)$/.exec(sql);
  if (cancel) return cancelQuery(cancel[1]!, fake, hung);
  if (fake.refuseWrites && withoutMarker(sql).startsWith('CREATE'))
    return [errorResponse('Write permission denied')];
  if (sql.includes('fail')) return [errorResponse('table does not exist [table=nope]', sql.indexOf('fail'))];
  const cols = sql.includes('values') ? ANSWERS.values! : ANSWERS.default!;
  return [rowDescription(cols), dataRow(cols), msg('C', cstr('SELECT 1'))];
}

/** `query_activity() WHERE query LIKE '%x%'`: the hung statements whose text holds x. */
function activity(like: string, hung: Map<string, Hung>): Buffer[] {
  const needle = like.replace(/^%|%$/g, '');
  const rows = [...hung.values()].filter((h) => h.text.includes(needle));
  return [
    rowDescription([['query_id', 20, null]]),
    ...rows.map((h) => dataRow([['query_id', 20, h.id]])),
    msg('C', cstr(`SELECT ${rows.length}`)),
  ];
}

function cancelQuery(id: string, fake: FakeQuestDB, hung: Map<string, Hung>): Buffer[] {
  const h = hung.get(id);
  if (!h) return [errorResponse(`query to cancel not found in registry [id=${id}]`)];
  fake.cancelledQueries.push(id);
  if (fake.honoursCancelQuery) h.stop();
  return [msg('C', cstr('CANCEL QUERY'))];
}

/** What the server shares between connections: query ids and the statements left hanging. */
interface Shared {
  nextPid: number;
  nextQueryId: number;
  hung: Map<string, Hung>;
}

function serve(socket: Socket, fake: FakeQuestDB, shared: Shared): void {
  const { hung } = shared;
  const pid = shared.nextPid++;
  let buf = Buffer.alloc(0);
  let started = false;
  let statement = '';
  let params: string[] = [];
  let hungId: string | null = null;
  /** Leaves `text` hanging until it is stopped, which answers "cancelled by user". */
  const hang = (text: string) => {
    const id = String(shared.nextQueryId++);
    hungId = id;
    hung.set(id, {
      id,
      text,
      pid,
      stop: () => {
        hung.delete(id);
        hungId = null;
        socket.write(Buffer.concat([errorResponse('cancelled by user'), ready()]));
      },
    });
  };
  // After an error in the extended protocol the server skips messages until Sync.
  let discard = false;
  socket.on('error', () => {});
  socket.on('close', () => {
    fake.closedConnections++;
    if (hungId !== null) hung.delete(hungId);
  });
  socket.on('data', (chunk) => {
    if (!started && !fake.readsNewConnections) return;
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (!started) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const code = buf.readInt32BE(4);
        if (code === 80_877_102) {
          const request = { pid: buf.readInt32BE(8), secret: buf.readInt32BE(12) };
          fake.cancelRequests.push(request);
          if (fake.honoursCancelRequest && request.secret === FAKE_SECRET) {
            for (const h of hung.values()) if (h.pid === request.pid) h.stop();
          }
          socket.end();
          return;
        }
        buf = buf.subarray(len);
        if (code === 80_877_103) {
          socket.write('N');
          continue;
        }
        started = true;
        socket.write(
          Buffer.concat([
            msg('R', int32(0)),
            msg('K', Buffer.concat([int32(pid), int32(FAKE_SECRET)])),
            ready(),
          ]),
        );
        continue;
      }
      if (buf.length < 5) return;
      const type = String.fromCharCode(buf[0]!);
      const len = buf.readInt32BE(1);
      if (buf.length < len + 1) return;
      const body = buf.subarray(5, len + 1);
      buf = buf.subarray(len + 1);
      if (hungId !== null || (discard && type !== 'S')) continue;
      switch (type) {
        case 'Q': {
          const sql = body.toString('utf8', 0, body.length - 1);
          fake.statements.push(sql);
          const out = answer(sql, [], fake, hung);
          if (out === null) hang(sql);
          else socket.write(Buffer.concat([...out, ready()]));
          break;
        }
        case 'P': {
          const nameEnd = body.indexOf(0);
          statement = body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1));
          fake.statements.push(statement);
          if (statement.includes('hang')) hang(statement);
          else if (statement.includes('fail')) {
            socket.write(answer(statement, [], fake, hung)![0]!);
            discard = true;
          } else socket.write(msg('1'));
          break;
        }
        case 'B':
          params = bindParams(body);
          socket.write(msg('2'));
          break;
        case 'D':
          socket.write(answer(statement, params, fake, hung)![0]!);
          break;
        case 'E':
          socket.write(Buffer.concat(answer(statement, params, fake, hung)!.slice(1)));
          break;
        case 'S':
          discard = false;
          socket.write(ready());
          break;
        case 'X':
          socket.end();
          return;
      }
    }
  });
}

/** A Bind message's parameter values as text (node-postgres sends them as text). */
function bindParams(body: Buffer): string[] {
  let at = body.indexOf(0) + 1;
  at = body.indexOf(0, at) + 1;
  at += 2 + 2 * body.readInt16BE(at);
  const count = body.readInt16BE(at);
  at += 2;
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const len = body.readInt32BE(at);
    at += 4;
    values.push(len < 0 ? '' : body.toString('utf8', at, at + len));
    at += Math.max(len, 0);
  }
  return values;
}

export async function startFakeQuestDB(): Promise<FakeQuestDB> {
  const sockets = new Set<Socket>();
  const shared: Shared = { nextPid: FAKE_FIRST_PID, nextQueryId: 1, hung: new Map() };
  const fake: FakeQuestDB = {
    port: 0,
    cancelRequests: [],
    statements: [],
    cancelledQueries: [],
    closedConnections: 0,
    refuseWrites: false,
    honoursCancelRequest: true,
    honoursCancelQuery: true,
    readsNewConnections: true,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, fake, shared);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  fake.port = typeof address === 'object' && address ? address.port : 0;
  return fake;
}
