/**
 * A stand-in for QuestDB's PostgreSQL wire endpoint, enough for node-postgres: login with a
 * backend key, simple and extended queries, errors with SQLSTATE 00000 as QuestDB sends them,
 * statements that never answer, and a record of cancel requests and closed connections.
 */
import { createServer, type Server, type Socket } from 'node:net';

export const FAKE_PID = 4242;
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

function errorResponse(message: string, position: number): Buffer {
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
  closedConnections: number;
  /** When set, CREATE statements fail as they do for QuestDB's read-only user. */
  refuseWrites: boolean;
  close(): Promise<void>;
}

/** `hang` in the SQL: never answer; `fail`: a QuestDB error; `values`: one row of typed values. */
function answer(sql: string, fake: FakeQuestDB): Buffer[] | null {
  if (sql.includes('hang')) return null;
  if (fake.refuseWrites && sql.startsWith('CREATE')) return [errorResponse('Write permission denied', 0)];
  if (sql.includes('fail')) return [errorResponse('table does not exist [table=nope]', 14)];
  const cols = sql.includes('values') ? ANSWERS.values! : ANSWERS.default!;
  return [rowDescription(cols), dataRow(cols), msg('C', cstr('SELECT 1'))];
}

function serve(socket: Socket, fake: FakeQuestDB): void {
  let buf = Buffer.alloc(0);
  let started = false;
  let statement = '';
  let hung = false;
  // After an error in the extended protocol the server skips messages until Sync.
  let discard = false;
  socket.on('error', () => {});
  socket.on('close', () => {
    fake.closedConnections++;
  });
  socket.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (!started) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const code = buf.readInt32BE(4);
        if (code === 80_877_102) {
          fake.cancelRequests.push({ pid: buf.readInt32BE(8), secret: buf.readInt32BE(12) });
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
            msg('K', Buffer.concat([int32(FAKE_PID), int32(FAKE_SECRET)])),
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
      if (hung || (discard && type !== 'S')) continue;
      switch (type) {
        case 'Q': {
          const sql = body.toString('utf8', 0, body.length - 1);
          fake.statements.push(sql);
          const out = answer(sql, fake);
          if (out === null) hung = true;
          else socket.write(Buffer.concat([...out, ready()]));
          break;
        }
        case 'P': {
          const nameEnd = body.indexOf(0);
          statement = body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1));
          fake.statements.push(statement);
          const out = answer(statement, fake);
          if (out === null) hung = true;
          else if (out.length === 1) {
            socket.write(out[0]!);
            discard = true;
          } else socket.write(msg('1'));
          break;
        }
        case 'B':
          socket.write(msg('2'));
          break;
        case 'D':
          socket.write(answer(statement, fake)![0]!);
          break;
        case 'E':
          socket.write(Buffer.concat(answer(statement, fake)!.slice(1)));
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

export async function startFakeQuestDB(): Promise<FakeQuestDB> {
  const sockets = new Set<Socket>();
  const fake: FakeQuestDB = {
    port: 0,
    cancelRequests: [],
    statements: [],
    closedConnections: 0,
    refuseWrites: false,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, fake);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  fake.port = typeof address === 'object' && address ? address.port : 0;
  return fake;
}
