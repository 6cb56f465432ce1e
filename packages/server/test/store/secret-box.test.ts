import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeSecretKey,
  generateSecretKey,
  open,
  SecretBoxError,
  seal,
} from '../../src/crypto/secret-box.js';

const key = randomBytes(32);

describe('secret box (AES-256-GCM)', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const a = seal('hunter2 ✈️', key);
    const b = seal('hunter2 ✈️', key);
    expect(a).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
    expect(a).not.toBe(b);
    expect(open(a, key)).toBe('hunter2 ✈️');
    expect(open(b, key)).toBe('hunter2 ✈️');
  });

  it('rejects a flipped byte in the ciphertext, tag or nonce', () => {
    const sealed = seal('{"password":"quest"}', key);
    const parts = sealed.split(':');
    for (const i of [1, 2, 3]) {
      const bytes = Buffer.from(parts[i]!, 'base64');
      bytes[0] = bytes[0]! ^ 0x01;
      const tampered = parts.map((p, j) => (j === i ? bytes.toString('base64') : p)).join(':');
      expect(() => open(tampered, key)).toThrow(SecretBoxError);
    }
  });

  it('rejects the wrong key and the wrong associated data', () => {
    const sealed = seal('secret', key, 'connection:a');
    expect(() => open(sealed, randomBytes(32), 'connection:a')).toThrow(/wrong key or tampered/);
    expect(() => open(sealed, key, 'connection:b')).toThrow(SecretBoxError);
    expect(open(sealed, key, 'connection:a')).toBe('secret');
  });

  it('rejects keys that are not 32 bytes and malformed input', () => {
    expect(() => seal('x', randomBytes(16))).toThrow(/32 bytes/);
    expect(() => open('v2:a:b:c', key)).toThrow(/v1 format/);
    expect(() => open('not sealed', key)).toThrow(SecretBoxError);
  });
});

describe('secret key decoding', () => {
  it('accepts hex, base64 and base64url of 32 bytes and nothing else', () => {
    const k = generateSecretKey();
    expect(decodeSecretKey(k.toString('hex'))).toEqual(k);
    expect(decodeSecretKey(` ${k.toString('base64')}\n`)).toEqual(k);
    expect(decodeSecretKey(k.toString('base64url'))).toEqual(k);
    for (const bad of [
      '',
      'short',
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      'ü'.repeat(44),
    ]) {
      expect(() => decodeSecretKey(bad)).toThrow(SecretBoxError);
    }
  });
});
