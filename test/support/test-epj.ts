/**
 * A small test record system (EPJ) for SMART App Launch (issue 16): its own authorisation server
 * (`oidc-provider`, a certified OpenID Provider) and a FHIR endpoint on one 127.0.0.1 port, the way
 * a GP's record system offers SMART EHR launch:
 *
 * - `/fhir/.well-known/smart-configuration` (capabilities launch-ehr, sso-openid-connect, …);
 * - `launch({ practitionerId, patientId })` registers an EHR launch, as the EPJ does when the GP
 *   clicks the app's button on an open patient; `launchUrl(app)` is where the EPJ sends the browser
 *   (`?iss=<fhir base>&launch=<id>`); `/epj/patients/<id>` is a page with that button;
 * - the authorisation server knows the GP from the launch (they are logged in to the EPJ already),
 *   puts `fhirUser` (the Practitioner) in the ID token and `patient` in the token response;
 * - `Patient/<id>` and `Practitioner/<id>` (no-basis identifiers: fødselsnummer, HPR number) read
 *   with the access token, within its scopes and its patient;
 * - `POST DocumentReference` stores a note (conditional create with `If-None-Exist: identifier=`),
 *   kept in `documents` for the test to look at; `refuseWrites` makes it answer 422.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DocumentReference } from 'fhir/r4.js';
import Provider from 'oidc-provider';
import { oidcBrowser } from './oidc-browser.js';

const FNR = 'urn:oid:2.16.578.1.12.4.1.4.1';
const HPR = 'urn:oid:2.16.578.1.12.4.1.4.4';
const SCOPES = [
  'openid',
  'fhirUser',
  'launch',
  'patient/Patient.r',
  'user/Practitioner.r',
  'patient/DocumentReference.c',
];

export interface EpjPerson {
  id: string;
  name: { family: string; given: string };
}

export interface TestEpj {
  /** The FHIR base URL: the `iss` of its launches. */
  fhirBase: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  practitioners: Map<string, EpjPerson & { hprNumber: string | null }>;
  patients: Map<string, EpjPerson & { personNumber: string | null }>;
  /** Notes written to the record, in order. */
  documents: DocumentReference[];
  /** When set, POST DocumentReference is refused (422) with this diagnostic. */
  refuseWrites: string | null;
  /** Registers an EHR launch; returns the launch id. */
  launch(context: { practitionerId: string; patientId: string }): string;
  /** Where the EPJ sends the browser to launch the app at `appLaunchUrl`. */
  launchUrl(appLaunchUrl: string, launchId: string): string;
  /** Follows redirects (with the EPJ's cookies) from an authorisation URL to the app's callback. */
  drive(authorizationUrl: string, redirectUri: string): Promise<URL>;
  close(): Promise<void>;
}

function fhirJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
  res.end(JSON.stringify(body));
}

const outcome = (code: string, diagnostics: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, diagnostics }],
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTestEpj(options: {
  redirectUri: string;
  accessTokenTtlSeconds?: number;
  idTokenTtlSeconds?: number;
}): Promise<TestEpj> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fhirBase = `${issuer}/fhir`;
  const clientId = 'gp-dep-epj-test';
  const clientSecret = 'an-epj-client-secret-for-tests-only-0123456789';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'epj-key-1', use: 'sig', alg: 'RS256' };
  const launches = new Map<string, { practitionerId: string; patientId: string }>();
  const grantLaunch = new Map<string, { practitionerId: string; patientId: string }>();

  const epj: TestEpj = {
    fhirBase,
    issuer,
    clientId,
    clientSecret,
    practitioners: new Map(),
    patients: new Map(),
    documents: [],
    refuseWrites: null,
    launch: (context) => {
      const id = randomUUID();
      launches.set(id, context);
      return id;
    },
    launchUrl: (appLaunchUrl, launchId) => {
      const url = new URL(appLaunchUrl);
      url.searchParams.set('iss', fhirBase);
      url.searchParams.set('launch', launchId);
      return url.href;
    },
    drive: async () => {
      throw new Error('not started');
    },
    close: async () => undefined,
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    scopes: SCOPES,
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    extraParams: ['launch', 'aud'],
    pkce: { methods: ['S256'], required: () => true },
    // SMART puts fhirUser in the ID token.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, fhirUser: `${fhirBase}/Practitioner/${sub}` }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Every launch is its own context: only the grant this launch's interaction made, never an
    // earlier launch's grant for the same GP (oidc-provider's default reuses the session's).
    loadExistingGrant: async (ctx) => {
      const grantId = (ctx.oidc.result as { consent?: { grantId?: string } } | undefined)?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    features: { devInteractions: { enabled: false } },
    jwks: { keys: [jwk] },
    cookies: { keys: ['epj-cookie-key-for-tests-only'] },
    ttl: {
      IdToken: options.idTokenTtlSeconds ?? 3600,
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  });
  // The GP is logged in to the EPJ: the launch says who they are and which patient is open.
  provider.use(async (ctx, next) => {
    if (!ctx.path.startsWith('/interaction/')) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const context = launches.get(String(details.params.launch));
    if (!context || details.params.aud !== fhirBase) {
      const to = await provider.interactionResult(ctx.req, ctx.res, {
        error: 'access_denied',
        error_description: context ? 'aud is not this FHIR server' : 'unknown launch',
      });
      return ctx.redirect(to);
    }
    const grant = new provider.Grant({
      accountId: context.practitionerId,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope));
    grant.addOIDCClaims(['fhirUser']);
    const grantId = await grant.save();
    grantLaunch.set(grantId, context);
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: context.practitionerId }, consent: { grantId } },
      { mergeWithLastSubmission: false }
    );
    ctx.redirect(returnTo);
  });
  // SMART's launch context in the token response: the patient open in the EPJ.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown>;
    const token = await provider.AccessToken.find(String(body.access_token));
    const context = token ? grantLaunch.get(token.grantId) : undefined;
    if (context) ctx.body = { ...body, patient: context.patientId };
  });

  async function authorised(req: IncomingMessage, scope: string) {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? await provider.AccessToken.find(header.slice(7)) : undefined;
    if (!token || token.isExpired) return null;
    if (
      !String(token.scope ?? '')
        .split(' ')
        .includes(scope)
    )
      return null;
    const context = grantLaunch.get(token.grantId);
    return context ? { ...context, token } : null;
  }

  const fhir = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, issuer);
    const path = url.pathname.slice('/fhir'.length);
    if (path === '/.well-known/smart-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/jwks`,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          grant_types_supported: ['authorization_code'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
          scopes_supported: SCOPES,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          capabilities: [
            'launch-ehr',
            'client-confidential-symmetric',
            'context-ehr-patient',
            'sso-openid-connect',
            'permission-patient',
            'permission-user',
            'permission-v2',
          ],
        })
      );
      return;
    }
    let match = /^\/Practitioner\/([^/]+)$/.exec(path);
    if (match && req.method === 'GET') {
      const who = await authorised(req, 'user/Practitioner.r');
      const p = epj.practitioners.get(match[1]!);
      if (!who) return fhirJson(res, 401, outcome('login', 'no valid token'));
      if (!p) return fhirJson(res, 404, outcome('not-found', 'no such Practitioner'));
      return fhirJson(res, 200, {
        resourceType: 'Practitioner',
        id: p.id,
        identifier: p.hprNumber ? [{ system: HPR, value: p.hprNumber }] : [],
        name: [{ family: p.name.family, given: [p.name.given] }],
      });
    }
    match = /^\/Patient\/([^/]+)$/.exec(path);
    if (match && req.method === 'GET') {
      const who = await authorised(req, 'patient/Patient.r');
      const p = epj.patients.get(match[1]!);
      if (!who) return fhirJson(res, 401, outcome('login', 'no valid token'));
      // Patient-scoped: only the launch's patient.
      if (!p || who.patientId !== p.id) return fhirJson(res, 404, outcome('not-found', 'no such Patient'));
      return fhirJson(res, 200, {
        resourceType: 'Patient',
        id: p.id,
        identifier: p.personNumber ? [{ system: FNR, value: p.personNumber }] : [],
        name: [{ family: p.name.family, given: [p.name.given] }],
      });
    }
    if (path === '/DocumentReference' && req.method === 'POST') {
      const who = await authorised(req, 'patient/DocumentReference.c');
      if (!who) return fhirJson(res, 401, outcome('login', 'no valid token'));
      const doc = JSON.parse(await readBody(req)) as DocumentReference;
      if (doc.resourceType !== 'DocumentReference')
        return fhirJson(res, 400, outcome('invalid', 'not a DocumentReference'));
      if (doc.subject?.reference !== `Patient/${who.patientId}`)
        return fhirJson(res, 403, outcome('forbidden', 'the note is not about the launch patient'));
      if (epj.refuseWrites) return fhirJson(res, 422, outcome('business-rule', epj.refuseWrites));
      const condition = /^identifier=(.*)$/.exec(String(req.headers['if-none-exist'] ?? ''));
      if (condition) {
        const [system, value] = decodeURIComponent(condition[1]!).split('|');
        const existing = epj.documents.find(
          (d) => d.masterIdentifier?.system === system && d.masterIdentifier?.value === value
        );
        if (existing)
          return fhirJson(res, 200, existing, {
            location: `${fhirBase}/DocumentReference/${existing.id}/_history/1`,
          });
      }
      const stored = { ...doc, id: String(epj.documents.length + 1) };
      epj.documents.push(stored);
      return fhirJson(res, 201, stored, {
        location: `${fhirBase}/DocumentReference/${stored.id}/_history/1`,
      });
    }
    return fhirJson(res, 404, outcome('not-found', `no ${req.method} ${path}`));
  };

  // The EPJ's own page for a patient, with the app's button (for the browser test).
  const page = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, issuer);
    const match = /^\/epj\/patients\/([^/]+)$/.exec(url.pathname);
    const patient = match ? epj.patients.get(match[1]!) : undefined;
    const practitionerId = url.searchParams.get('as') ?? '';
    const app = url.searchParams.get('app') ?? '';
    if (!patient || !epj.practitioners.has(practitionerId) || !app) {
      res.writeHead(404).end('not found');
      return;
    }
    const launchId = epj.launch({ practitionerId, patientId: patient.id });
    const href = epj.launchUrl(app, launchId).replace(/&/g, '&amp;');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Test-EPJ</title></head>` +
        `<body><main><h1>${patient.name.given} ${patient.name.family}</h1>` +
        `<a href="${href}">Åpne GP-DEP oppfølging</a></main></body></html>`
    );
  };

  const oidc = provider.callback();
  server.on('request', (req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/fhir/') || path === '/fhir') {
      fhir(req, res).catch((error: unknown) => fhirJson(res, 500, outcome('exception', String(error))));
    } else if (path.startsWith('/epj/')) {
      page(req, res);
    } else {
      void oidc(req, res);
    }
  });

  // A fresh browser per launch: the tests launch as different GPs one after another.
  epj.drive = (authorizationUrl, redirectUri) => oidcBrowser().drive(authorizationUrl, redirectUri);
  epj.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return epj;
}
