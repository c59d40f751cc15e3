import { AppError } from '../errors.js';

/**
 * Run a command-line tool: exit with its code, or print why it failed and exit 1. An expected
 * failure (AppError) prints its message after `label`; anything else prints whole, stack included.
 */
export function runTool(main: () => Promise<number>, label: string): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof AppError ? `${label}：${err.message}` : err);
      process.exit(1);
    },
  );
}
