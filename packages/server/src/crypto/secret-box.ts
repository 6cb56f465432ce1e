import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InlayError } from '@inlay/core';

/**
 * Authenticated encryption for secrets at rest (connection credentials). The output names its
 * format version so a later key rotation or algorithm change can read old rows.
 */
const VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size; random per seal, so a key never reuses one
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

export class SecretBoxError extends InlayError {
  constructor(message: string, cause?: unknown) {
    super('CONFIG', message, cause === undefined ? {} : { cause });
    this.name = 'SecretBoxError';
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== SECRET_KEY_BYTES) {
    throw new SecretBoxError(`secret key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
  }
}

/** A new random key, e.g. for the dev data dir when `INLAY_SECRET_KEY` is not set. */
export function generateSecretKey(): Buffer {
  return randomBytes(SECRET_KEY_BYTES);
}

/** Reads `INLAY_SECRET_KEY`: 64 hex characters or base64 / base64url of exactly 32 bytes. */
export function decodeSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t)
    ? Buffer.from(t, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t)
      ? Buffer.from(t, 'base64')
      : Buffer.alloc(0);
  if (key.length !== SECRET_KEY_BYTES) {
    throw new SecretBoxError(
      `the secret key must be ${SECRET_KEY_BYTES} bytes as 64 hex characters or base64`,
    );
  }
  return key;
}

/**
 * `aad` binds the ciphertext to where it is stored (e.g. workspace and connection name), so a
 * sealed value copied into another row does not open there.
 */
export function seal(plaintext: string, key: Uint8Array, aad?: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(':');
}

export function open(sealed: string, key: Uint8Array, aad?: string): string {
  checkKey(key);
  const parts = sealed.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new SecretBoxError(`sealed secret is not in the ${VERSION} format`);
  }
  const iv = Buffer.from(parts[1]!, 'base64');
  const tag = Buffer.from(parts[2]!, 'base64');
  const body = Buffer.from(parts[3]!, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError('sealed secret is malformed (bad nonce or tag length)');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch (cause) {
    // GCM cannot tell a wrong key from altered bytes; both mean "do not trust this value".
    throw new SecretBoxError('sealed secret could not be opened: wrong key or tampered data', cause);
  }
}
