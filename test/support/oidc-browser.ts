/**
 * A browser's part in an OpenID Connect flow, for the tests (issue 16): follows redirects with a
 * cookie jar of its own (the provider's single sign-on session lives in it), stops at the
 * platform's URL, and submits the provider's logout confirmation page as a person would.
 */
export interface OidcBrowser {
  /** Follows redirects from `url` until one starts with `stopAt`; returns that URL. */
  drive(url: string, stopAt: string): Promise<URL>;
  /** Opens the provider's end-session URL, confirms the logout, follows on to `stopAt`. */
  logout(endSessionUrl: string, stopAt: string): Promise<URL>;
  /** Forgets the provider's cookies (another person at another browser). */
  clear(): void;
}

export function oidcBrowser(): OidcBrowser {
  const jar = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return res;
  };
  const follow = async (first: Response, from: URL, stopAt: string): Promise<URL> => {
    let res = first;
    let url = from;
    for (let hop = 0; hop < 10; hop += 1) {
      const location = res.headers.get('location');
      if (!location)
        throw new Error(`The provider stopped at ${url.href}: ${res.status} ${await res.text()}`);
      url = new URL(location, url);
      if (url.href.startsWith(stopAt)) return url;
      res = await send(url);
    }
    throw new Error('Too many redirects');
  };
  return {
    async drive(start, stopAt) {
      const url = new URL(start);
      if (url.href.startsWith(stopAt)) return url;
      return follow(await send(url), url, stopAt);
    },
    async logout(endSessionUrl, stopAt) {
      const url = new URL(endSessionUrl);
      const page = await send(url);
      const html = await page.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !xsrf) throw new Error(`No logout form at ${url.href}: ${page.status} ${html}`);
      const target = new URL(action, url);
      const confirmed = await send(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
      });
      return follow(confirmed, target, stopAt);
    },
    clear: () => jar.clear(),
  };
}

/** A logout confirmation page a browser submits at once (and `oidcBrowser().logout` can read). */
export function autoSubmitLogoutSource(ctx: { body?: unknown }, form: string): void {
  ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Logging out</title></head>
<body><main><h1>Logging out</h1>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<button type="submit" form="op.logoutForm">Log out</button>
<script>document.getElementById('op.logoutForm').submit()</script></main></body></html>`;
}

/**
 * The platform's back-channel logout endpoint as the stand-ins register it by default: a receiver
 * on the stand-in's own server (`/_rp/backchannel-logout`) that keeps each logout token for the
 * test to hand to the platform. True when it answered the request.
 */
export async function receivedLogoutToken(
  ctx: { path: string; method: string; req: AsyncIterable<unknown>; status: number },
  tokens: string[]
): Promise<boolean> {
  if (ctx.path !== '/_rp/backchannel-logout' || ctx.method !== 'POST') return false;
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('logout_token');
  if (token) tokens.push(token);
  ctx.status = 200;
  return true;
}
