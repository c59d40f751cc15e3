/**
 * Why a whole bundle is refused: an unreadable file, a missing required column, a manifest
 * contradiction, a future date. Nothing of the bundle is kept; the reason is recorded on
 * the batch (status 'rejected').
 */
export class BundleRejected extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}
