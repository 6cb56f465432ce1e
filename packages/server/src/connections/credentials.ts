import { checkCredentials, DRIVER_TYPES, type DriverType } from '@inlay/drivers';
import type { Credentials } from '../store/index.js';

/**
 * The connection types and their credentials checks come from the drivers' registry
 * (`packages/drivers/src/registry.ts`); this module only gives them the server's names.
 */
export type ConnectionType = DriverType;
export const CONNECTION_TYPES: readonly ConnectionType[] = DRIVER_TYPES;

/** The type and credentials checked for shape; messages name fields, never their values. */
export function checkConnection(
  type: string,
  credentials: unknown,
): { type: ConnectionType; credentials: Credentials } {
  return checkCredentials(type, credentials);
}
