/**
 * npm run etl -- <command>  (the commands: etl/src/cli.ts, or `npm run etl -- help`)
 * The ETL's command line, started here so that the app's post-load hooks (aggregates, rules)
 * reach it as a parameter: etl/ does not import the app's features.
 */
import { runEtlCli } from '../../../etl/src/index.js';
import { POST_LOAD_HOOKS } from '../post-load.js';

runEtlCli(process.argv.slice(2), POST_LOAD_HOOKS).then(
  (code) => process.exit(code),
  (err) => {
    // Every failure the loader reports is a sentence for the operator: the message alone.
    console.error(`etl：${(err as Error).message}`);
    process.exit(1);
  },
);
