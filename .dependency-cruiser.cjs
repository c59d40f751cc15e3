/**
 * The layers' one direction (docs/ARCHITECTURE.md, "Layers"), checked by api/src/layers.test.ts
 * on every `npm test`. The rules bind the code that ships; test files (*.test.ts) are exempt,
 * as some are integration tests across layers (an ETL hang watched through the API).
 */
const TEST = '\\.test\\.ts$';
const CORE = '^api/src/core\\.ts$';
const ETL = '^etl/src/index\\.ts$';
const CONTRACT = '^api/src/(features/[^/]+/contract|contract/common)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'etl-uses-api-core-only',
      comment: "etl/ uses the app only through api/src/core.ts (config, db, clock, the deployment's region); the post-load hooks are passed in.",
      severity: 'error',
      from: { path: '^etl/', pathNot: TEST },
      to: { path: '^api/', pathNot: CORE },
    },
    {
      name: 'api-uses-etl-index-only',
      comment: 'api/ reaches the ETL only through etl/src/index.ts.',
      severity: 'error',
      from: { path: '^api/', pathNot: TEST },
      to: { path: '^etl/', pathNot: ETL },
    },
    {
      name: 'migrations-use-lib-only',
      comment: 'A migration is immutable: it imports only migrations/lib/ and packages, never app or loader code.',
      severity: 'error',
      from: { path: '^migrations/', pathNot: TEST },
      to: { pathNot: ['^migrations/lib/', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'fixtures-use-entries-only',
      comment: 'fixtures/ uses api/ and etl/ only through their entries.',
      severity: 'error',
      from: { path: '^fixtures/', pathNot: TEST },
      to: { path: '^(api|etl)/', pathNot: [CORE, ETL] },
    },
    {
      name: 'web-app-uses-no-server-code',
      comment: 'The web app bundles no server code; it imports the types of the response contracts (@contract/<feature>) only.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^(api|etl|fixtures|migrations)/', pathNot: CONTRACT },
    },
    {
      name: 'web-imports-contract-types-only',
      comment: 'What the web imports from the server is a contract, and only its types.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: CONTRACT, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'contracts-import-zod-and-common-only',
      comment: 'A contract is shared with the web: it imports zod, api/src/contract/common.ts and other contracts (an alert holds opinions), nothing of the server.',
      severity: 'error',
      from: { path: CONTRACT },
      to: { pathNot: ['^node_modules/zod/', CONTRACT] },
    },
    {
      name: 'resolvable',
      comment: "An import the checker cannot resolve would escape the rules above (the web's aliases resolve through tsconfig.json's paths).",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^web/dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.vue', '.json'],
    },
  },
};
