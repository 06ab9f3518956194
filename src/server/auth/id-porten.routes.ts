/**
 * ID-porten login for patients (issue 16), HTTP only: the redirect to the provider with the
 * attempt cookie, and the provider's redirect back, which ends in the patient's home page with a
 * session, or on the login page with the reason (`/login?idporten=<reason>`); and ID-porten's
 * back-channel logout (all three from oidc-http.ts), and which login providers the page offers.
 * The work is in id-porten.ts. Without configuration the routes answer 404 and the login page
 * offers no button.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginProviders } from '../../contract/auth.js';
import type { PasswordLoginPolicy } from '../../domain/access/password-login.js';
import { finishIdPortenLogin, startIdPortenLogin, type IdPortenConfig } from './id-porten.js';
import { oidcLoginRoutes } from './oidc-http.js';

const idPortenRoutes: FastifyPluginAsyncTypebox<{
  idPorten: IdPortenConfig | null;
  /** Whether HelseID login is configured (its routes are helseid.routes.ts). */
  helseId: boolean;
  passwordLogin: PasswordLoginPolicy;
}> = async (app, options) => {
  const config = options.idPorten;

  app.get(
    '/api/auth/providers',
    { config: { access: { public: true } }, schema: { response: { 200: LoginProviders } } },
    async () => ({
      idPorten: config !== null,
      helseId: options.helseId,
      password: options.passwordLogin,
    })
  );

  oidcLoginRoutes(app, {
    provider: 'idporten',
    name: 'ID-porten',
    config,
    role: 'patient',
    home: '/patient',
    start: startIdPortenLogin,
    finish: finishIdPortenLogin,
  });
};

export default idPortenRoutes;
