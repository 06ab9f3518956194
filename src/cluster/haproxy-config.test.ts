import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haproxyConfig } from './haproxy-config.js';

const three = [1, 2, 3].map((n) => ({ name: `app${n}`, host: '127.0.0.1', port: 4000 + n }));
const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((p) => existsSync(p));

describe('haproxyConfig', () => {
  const text = haproxyConfig({ bind: { host: '127.0.0.1', port: 8080 }, instances: three });

  it('balances round robin over every instance, checked on readiness', () => {
    expect(text).toContain('balance roundrobin');
    expect(text).toContain('option httpchk GET /api/health/ready');
    expect(text).toContain('bind 127.0.0.1:8080');
    for (const n of [1, 2, 3]) expect(text).toContain(`server app${n} 127.0.0.1:400${n}`);
    expect(text).toMatch(/default-server check inter 1000ms .*fall 2 rise 2/);
  });

  it('retries on another instance, replaying only what is safe to replay', () => {
    expect(text).toContain('retries 3');
    expect(text).toContain('option redispatch 1');
    expect(text).toContain('retry-on conn-failure empty-response 503');
    expect(text).toContain(
      'http-request disable-l7-retry if { method POST PATCH } !{ req.hdr(idempotency-key) -m found }'
    );
  });

  it('logs nothing unless asked, and then no query string, header or body', () => {
    expect(text).toContain('no log');
    const logged = haproxyConfig({
      bind: { host: '0.0.0.0', port: 80 },
      instances: three,
      log: 'stdout format raw',
    });
    expect(logged).toContain('log stdout format raw local0 info');
    const format = logged.split('\n').find((l) => l.includes('log-format'))!;
    expect(format).toContain('%HPO');
    // %r (request line), %HU/%HQ (with the query string), %hr/%hs (captured headers) are absent.
    expect(format).not.toMatch(/%\{?\+?Q?\}?r\b|%HU|%HQ|%hr|%hs|%CC|%CS/);
  });

  it('refuses names or hosts that could smuggle in a directive, and bad ports', () => {
    const bind = { host: '127.0.0.1', port: 8080 };
    expect(() => haproxyConfig({ bind, instances: [] })).toThrow(/at least one/);
    expect(() =>
      haproxyConfig({ bind, instances: [{ name: 'a\n  stats enable', host: 'h', port: 1 }] })
    ).toThrow(/name/);
    expect(() => haproxyConfig({ bind, instances: [{ name: 'a', host: 'h x', port: 1 }] })).toThrow(/host/);
    expect(() => haproxyConfig({ bind, instances: [{ name: 'a', host: 'h', port: 70000 }] })).toThrow(/port/);
    expect(() => haproxyConfig({ bind, instances: [three[0]!, three[0]!] })).toThrow(/twice/);
  });

  it.skipIf(!HAPROXY)('is a configuration HAProxy accepts (haproxy -c)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpdep-haproxy-'));
    for (const [name, config] of [
      ['plain.cfg', text],
      [
        'logged.cfg',
        haproxyConfig({
          bind: { host: '127.0.0.1', port: 8080 },
          instances: three,
          log: 'stdout format raw',
        }),
      ],
    ] as const) {
      writeFileSync(join(dir, name), config);
      // Throws (and fails the test) on a non-zero exit, with HAProxy's complaint in the message.
      const out = execFileSync(HAPROXY!, ['-c', '-f', join(dir, name)], { encoding: 'utf8', stdio: 'pipe' });
      expect(out).toMatch(/valid/i);
    }
  });
});
