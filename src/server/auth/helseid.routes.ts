/**
 * HelseID login for GPs (issue 16), HTTP only: the redirect to the provider with the attempt
 * cookie; the provider's redirect back, which ends in the GP's worklist with a session, or on the
 * login page with the reason (`/login?helseid=<reason>`); and HelseID's back-channel logout
 * (oidc-http.ts). The work is in helseid.ts. Without configuration the routes answer 404 and the
 * login page offers no button.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { finishHelseIdLogin, startHelseIdLogin, type HelseIdConfig } from './helseid.js';
import { oidcLoginRoutes } from './oidc-http.js';

const helseIdRoutes: FastifyPluginAsyncTypebox<{ helseId: HelseIdConfig | null }> = async (app, options) => {
  oidcLoginRoutes(app, {
    provider: 'helseid',
    name: 'HelseID',
    config: options.helseId,
    role: 'gp',
    home: '/gp',
    start: startHelseIdLogin,
    finish: finishHelseIdLogin,
  });
};

export default helseIdRoutes;
