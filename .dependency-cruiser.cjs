/**
 * The architecture's import rules, checked by `npm run lint` (docs/architecture.md):
 * - domain is pure: it imports nothing of ours but domain (tests may read the web's texts);
 * - the API contract (TypeBox schemas for server and web) imports only domain;
 * - db and the registry layer never import the web server, and nothing but the web imports the web;
 * - survey analysis runs without the web server or the database;
 * - the registry engine does not import the analyses built on it;
 * - no import cycles anywhere.
 * Try it: add `import '../../server/app.js';` to any file in src/domain and run `npm run lint:deps`.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make modules impossible to understand or test alone.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Domain rules are used by server and web alike: they import only domain.',
      from: { path: '^src/domain/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'contract-is-shared',
      severity: 'error',
      comment: 'The API contract is imported by server and web alike: it imports only domain.',
      from: { path: '^src/contract/' },
      to: { path: '^src/', pathNot: '^src/(contract|domain)/' },
    },
    {
      name: 'db-not-server',
      severity: 'error',
      comment: 'The database layer (migrations, seed) sits under the server, never on top of it.',
      from: { path: '^src/db/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(server|web|cli)/' },
    },
    {
      name: 'registry-without-web-server',
      severity: 'error',
      comment: 'The registry layer runs without the web server (it runs on secure servers alone).',
      from: { path: '^src/registry/' },
      to: { path: '^src/(server|web|db)/' },
    },
    {
      name: 'surveys-without-web-server',
      severity: 'error',
      comment:
        'Survey analysis (weights, linkage, exports) runs on plain data, without the web server or the database; the CLI and server load the data.',
      from: { path: '^src/surveys/' },
      to: { path: '^src/(server|web|db|cli)/' },
    },
    {
      name: 'qualitative-without-web-server',
      severity: 'error',
      comment:
        'Qualitative exchange (REFI-QDA) and analysis run on plain data, without the web server, the database or the CLI; the server loads the data.',
      from: { path: '^src/qualitative/' },
      to: { path: '^src/(server|web|db|cli)/' },
    },
    {
      name: 'platform-research-without-web-server',
      severity: 'error',
      comment:
        "The platform's research layer (the network simulator, the extract's schema, rows and Parquet) works on plain data: the server loads and writes the database, the CLI runs it.",
      from: { path: '^src/platform-research/' },
      to: { path: '^src/(server|web|db|cli)/' },
    },
    {
      name: 'engine-not-analyze',
      severity: 'error',
      comment: 'The registry engine is the base the analyses are built on, not the other way round.',
      from: { path: '^src/registry/engine/' },
      to: { path: '^src/registry/analyze/' },
    },
    {
      name: 'only-web-imports-web',
      severity: 'error',
      comment: 'The browser bundle is not a library for the server.',
      from: { path: '^src/', pathNot: ['^src/web/', '\\.test\\.ts$'] },
      to: { path: '^src/web/' },
    },
    {
      name: 'web-not-server',
      severity: 'error',
      comment: 'The web talks to the server over HTTP; it shares only domain rules and the contract.',
      from: { path: '^src/web/' },
      // The funnel plot's control limits are pure geometry shared with the registry's report.
      to: { path: '^src/(server|db|registry|cli)/', pathNot: '^src/registry/report/funnel-geometry\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
