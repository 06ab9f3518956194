/**
 * Serves the built React app (dist/web): real files by exact path, and index.html for every other
 * non-API path so client-side routes load. The file list is read once at start, so a request can
 * never reach outside the folder.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { notFound } from '../problem.js';

function listFiles(root: string): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.add(relative(root, full).split('\\').join('/'));
    }
  };
  walk(root);
  return files;
}

export function spaRoutes(webRoot: string): FastifyPluginAsync {
  return async (app) => {
    const hasBuild = existsSync(join(webRoot, 'index.html'));
    const files = hasBuild ? listFiles(webRoot) : new Set<string>();
    app.get('/*', { config: { access: { public: true } } }, async (request, reply) => {
      const path = decodeURIComponent((request.params as { '*': string })['*'] ?? '');
      if (path.startsWith('api/') || path === 'api') throw notFound();
      // Hidden paths (/.git/config, /.env) and file-like paths that are not in the build are real 404s,
      // not the app shell.
      const segments = path.split('/');
      if (segments.some((segment) => segment.startsWith('.'))) throw notFound();
      const looksLikeFile = /\.[a-z0-9]+$/i.test(segments.at(-1) ?? '');
      if (looksLikeFile && !files.has(path)) throw notFound();
      if (!hasBuild) {
        return reply
          .type('text/plain; charset=utf-8')
          .send('The web app is not built. Run `npm run build` (npm start does this).');
      }
      if (files.has(path) && path !== 'index.html') {
        // Vite puts content hashes in asset names, so they can be cached for good.
        if (path.startsWith('assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
        return reply.sendFile(path);
      }
      reply.header('cache-control', 'no-store');
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    });
  };
}
