/**
 * Text that cannot be stored is refused at the edge, for every route at once (R-D1): a NUL
 * character or a lone surrogate anywhere in the path parameters, query, headers or JSON body
 * answers 400 naming the field, before any handler or database sees it. The rule itself is
 * domain/text/text-safety.ts (the web forms use the same one). Nothing is ever silently repaired:
 * a body that is not valid UTF-8 is refused too, instead of being decoded with U+FFFD.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import type { FieldProblem } from '../domain/instruments/phq9.js';
import { findUnsafeText } from '../domain/text/text-safety.js';
import { badRequest } from './problem.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Each route's input schema by `METHOD /url`, so tests can generate input for every field. */
    routeSchemas: Map<string, FastifySchema>;
  }
}

/**
 * The query parser keeps a percent-sequence that is not UTF-8 (`%FF`, or `%ED%A0%80`, a lone
 * surrogate) as literal text; such a value is refused by name instead of being taken literally.
 */
function undecodableQuery(url: string): FieldProblem[] {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const problems: FieldProblem[] = [];
  for (const pair of query.split('&').filter(Boolean)) {
    const [rawKey = '', rawValue = ''] = pair.split(/=(.*)/s);
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text.replace(/\+/g, ' '));
      } catch {
        return null;
      }
    };
    const key = decode(rawKey);
    if (key === null || decode(rawValue) === null) {
      problems.push({ field: key ?? 'query', reason: 'is not valid percent-encoded UTF-8' });
    }
  }
  return problems;
}

async function textSafety(app: FastifyInstance): Promise<void> {
  app.decorate('routeSchemas', new Map<string, FastifySchema>());
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) app.routeSchemas.set(`${method} ${route.url}`, route.schema ?? {});
  });

  // Fastify's own JSON parser (with its prototype-poisoning settings), fed only valid UTF-8.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(badRequest([{ field: 'body', reason: 'is not valid UTF-8' }]), undefined);
      return;
    }
    // The default parser answers through done(); nothing to await.
    void parseJson(request, bytes.toString('utf8'), done);
  });

  // After the access layer's preValidation (registered earlier), so a stranger's patient is still
  // a plain 404, and before schema validation, so the reason is the text, not a later symptom.
  app.addHook('preValidation', async (request) => {
    const problems: FieldProblem[] = [
      ...undecodableQuery(request.raw.url ?? ''),
      ...findUnsafeText(request.params ?? {}, '', 'params'),
      ...findUnsafeText(request.query ?? {}, '', 'query'),
      ...findUnsafeText(request.headers, '', 'headers'),
      ...findUnsafeText(request.body),
    ];
    if (problems.length > 0) throw badRequest(problems);
  });
}

export default fp(textSafety, { name: 'text-safety', dependencies: ['access'] });
