/**
 * The one home of the test helpers (tests only; benches import the module they need, as this
 * index pulls in vitest):
 *   database.ts      a migrated database per test file, cloned from the run's template (global-setup.ts); rows by public id (411100-42)
 *   server.ts        the real app on a loopback port, demo logins, `openApiTest` (a file's whole lifecycle)
 *   expect.ts        assertions on the API's error answers (code and field, never the message text)
 *   bundles.ts       small delivery bundles written to a temporary inbox, and a fingerprint of the feed tables
 *   excel-writer.ts  .xlsx files laid out the way Excel stores them
 *   rule-rows.ts     hand-made feed rows for rule tests, each at the exact edge the rule needs
 *   small-city.ts    a small hand-written city for tests whose cases sit on exact edges
 *   drill-data.ts    the drill-down's awkward cases (unknown indicators, refunds, 调减) over the small city
 *   city.ts          the fixture generator's city as of any date, loaded through the ETL
 */
export * from './database.js';
export * from './server.js';
export * from './expect.js';
export * from './bundles.js';
export * from './excel-writer.js';
export * from './rule-rows.js';
export * from './small-city.js';
export * from './drill-data.js';
export * from './city.js';
