/**
 * The qualitative workspace as one plugin (issue 15). Registered by app.ts after the access layer
 * and the text-safety plugin, so every route here is checked like any other.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import qualitativeRoutes from './qualitative.routes.js';
import codingRoutes from './coding.routes.js';
import methodsRoutes from './methods.routes.js';
import refiImportRoutes from './refi-import.routes.js';
import stcRoutes from './stc.routes.js';

async function qualitativePlugin(app: FastifyInstance): Promise<void> {
  await app.register(qualitativeRoutes);
  await app.register(stcRoutes);
  await app.register(codingRoutes);
  await app.register(methodsRoutes);
  await app.register(refiImportRoutes);
}

export default fp(qualitativePlugin, { name: 'qualitative', dependencies: ['access', 'text-safety'] });
