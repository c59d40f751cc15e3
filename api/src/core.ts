/**
 * The shared core the other layers (etl/, fixtures/) may use: configuration, the database
 * connection and migrator, the one clock, the deployment's region, how a region's row is
 * named (`411100-42`). Everything else in api/ is the app's own; the dependency rules
 * (.dependency-cruiser.cjs) let etl/ and fixtures/ into api/ through this module only, so the
 * ETL never depends on the app's features.
 */
export { loadConfig, ROOT_DIR, type Config } from './config.js';
export { openDatabaseForTool, type Database } from './db/connection.js';
export { migrateLatest } from './db/migrator.js';
export { addDays, BUSINESS_DATE, daysBetween, draftUnderReviewYear, openingFiscalYear, today, yesterday } from './clock.js';
export { mapLimit, parallelDegree } from './parallel.js';
export { DEFAULT_REGION, outsideDeployment, regionWithin } from './regions.js';
export { toRegionId } from './contract/common.js';
