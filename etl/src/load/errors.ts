import type { BundleCode } from '../codes.js';

/**
 * Why a whole bundle is refused: an unreadable file, a missing required column, a manifest
 * contradiction, a future date. Nothing of the bundle is kept; the code and the reason are
 * recorded on the batch (status 'rejected').
 */
export class BundleRejected extends Error {
  constructor(
    readonly code: BundleCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}
