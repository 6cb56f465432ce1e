import { connect } from 'node:net';

const CANCEL_REQUEST_CODE = 80_877_102;

/** A PostgreSQL CancelRequest: length 16, code 80877102, the backend's process id and secret key. */
export function cancelRequestPacket(processId: number, secretKey: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32BE(16, 0);
  b.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  b.writeInt32BE(processId | 0, 8);
  b.writeInt32BE(secretKey | 0, 12);
  return b;
}

/**
 * Sends a cancel request on a fresh connection and resolves once it is written and the server
 * closed it, or when `timeoutMs` passes. Never rejects: cancelling is best effort, the caller
 * also drops the connection that runs the statement.
 */
export function sendCancelRequest(
  endpoint: { host: string; port: number },
  processId: number,
  secretKey: number,
  timeoutMs = 1_000,
): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      socket.end(cancelRequestPacket(processId, secretKey));
    });
  });
}
