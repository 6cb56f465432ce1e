/** The part of pino (Fastify's logger) the pre-aggregation code uses; the CLI passes a small one. */
export interface PreaggLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export const silentLogger: PreaggLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
};

/** JSON lines on a stream (stderr for the worker), pino's level numbers, so logs read the same. */
export function jsonLogger(write: (line: string) => void, minLevel = 30): PreaggLogger {
  const at =
    (level: number) =>
    (obj: object, msg: string): void => {
      if (level < minLevel) return;
      write(`${JSON.stringify({ level, time: Date.now(), ...obj, msg })}\n`);
    };
  return { debug: at(20), info: at(30), warn: at(40), error: at(50) };
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
