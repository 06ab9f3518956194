/**
 * HelseID from the environment (issue 16): all of issuer, client id and key, or none; the key as
 * a JWK inline or in a file, never both; the minimum security level 3 or 4; the callback and
 * post-logout URIs from PUBLIC_URL unless given.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

const jwk = JSON.stringify({
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
  kid: 'k1',
});
const base = {
  PUBLIC_URL: 'https://gp-dep.example/',
  HELSEID_ISSUER: 'https://helseid-sts.test.nhn.no',
  HELSEID_CLIENT_ID: 'gp-dep',
};

describe('HELSEID_* configuration', () => {
  it('is off without any HELSEID_ variable', () => {
    expect(readConfig({}).helseId).toBeNull();
  });

  it('reads the key inline or from a file, with defaults from PUBLIC_URL', () => {
    const inline = readConfig({ ...base, HELSEID_CLIENT_JWK: jwk }).helseId!;
    expect(inline).toMatchObject({
      issuer: base.HELSEID_ISSUER,
      clientId: 'gp-dep',
      redirectUri: 'https://gp-dep.example/api/auth/helseid/callback',
      postLogoutRedirectUri: 'https://gp-dep.example/login',
      minSecurityLevel: 4,
      allowInsecureHttp: false,
    });
    expect(inline.clientPrivateJwk.kid).toBe('k1');
    const file = join(mkdtempSync(join(tmpdir(), 'gpdep-helseid-key-')), 'client.jwk');
    writeFileSync(file, jwk);
    const fromFile = readConfig({ ...base, HELSEID_CLIENT_JWK_FILE: file, HELSEID_MIN_SECURITY_LEVEL: '3' });
    expect(fromFile.helseId).toMatchObject({ minSecurityLevel: 3, clientPrivateJwk: { kid: 'k1' } });
  });

  it('refuses a half configuration, two keys, a public key, a wrong level, insecure http in production', () => {
    expect(() => readConfig({ HELSEID_ISSUER: base.HELSEID_ISSUER })).toThrow(
      /HELSEID_CLIENT_ID.*HELSEID_CLIENT_JWK/
    );
    expect(() => readConfig({ ...base, HELSEID_CLIENT_JWK: jwk, HELSEID_CLIENT_JWK_FILE: '/x' })).toThrow(
      /not both/
    );
    const { d: _d, ...publicOnly } = JSON.parse(jwk) as Record<string, string>;
    expect(() => readConfig({ ...base, HELSEID_CLIENT_JWK: JSON.stringify(publicOnly) })).toThrow(
      /private JWK/
    );
    expect(() => readConfig({ ...base, HELSEID_CLIENT_JWK: 'not json' })).toThrow(/JWK in JSON/);
    expect(() => readConfig({ ...base, HELSEID_CLIENT_JWK: jwk, HELSEID_MIN_SECURITY_LEVEL: '2' })).toThrow(
      /HELSEID_MIN_SECURITY_LEVEL/
    );
    expect(() =>
      readConfig({
        ...base,
        HELSEID_CLIENT_JWK: jwk,
        HELSEID_ALLOW_INSECURE_HTTP: '1',
        NODE_ENV: 'production',
      })
    ).toThrow(/not allowed in production/);
  });
});
