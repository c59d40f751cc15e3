/** The ETL's public surface: what the app, the CLI, tests and benches use. */
export { BUNDLE_CODES, QUARANTINE_CODES, SKIP_CODES, type BundleCode, type QuarantineCode, type SkipCode } from './codes.js';
export { FEEDS, FEEDS_BY_NAME, getFeed, defineFeed, type FeedDef, type ColumnDef } from './feeds/index.js';
export { loadBundle, type BundleResult, type FileResult, type LoadOptions, type LoadProgress } from './load/load-bundle.js';
export { catchUpPostLoad, loadInbox, scanInbox, type InboxOptions, type RunResult } from './load/inbox.js';
export { runNightly, rerunDate, NothingToRerun } from './load/nightly.js';
export { LoaderBusy, withRunLock } from './load/lock.js';
export { exportRegion, type ExportResult } from './export.js';
export { startScheduler, type EtlScheduler, type NightlyHook } from './scheduler.js';
export { runPostLoad, type BatchRef, type LoadedScope, type PostLoadHook } from './post-load.js';
export { type PostLoad } from './load/inbox.js';
export { compactBundles, databaseIsEmpty, DEMO_REGION, DEMO_VOUCHERS, loadDemoFixtures, loadGeneratedCity, type DemoLoad, type GeneratedCity } from './demo.js';
export { runEtlCli } from './cli.js';
export { feedFreshness, feedTotals, listBatches, listQuarantine, listRuns } from './status.js';
export { fetchSqlBundle, type SqlSourceConfig } from './sources/sql.js';
