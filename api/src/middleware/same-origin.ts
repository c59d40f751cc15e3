import type { Request, RequestHandler } from 'express';
import { createError, ErrorCode } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a browser told us this request came from a page of another origin. */
function crossOrigin(req: Request): boolean {
  // Sec-Fetch-Site is set by the browser and cannot be forged by a page; SameSite=Lax alone
  // lets a sibling host of the same site (same-site, cross-origin) post with the cookie.
  const site = req.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const self = `${req.protocol}://${req.get('host')}`;
  const origin = req.get('origin');
  if (origin) return origin !== self;
  const referer = req.get('referer');
  if (referer) return referer !== self && !referer.startsWith(`${self}/`);
  // No browser header at all: curl, the CLI, tests. Such a client holds its own cookie; CSRF needs a browser.
  return false;
}

/** 403 for a state-changing request a browser sent from another origin (CSRF), logout included. */
export const sameOrigin: RequestHandler = (req, _res, next) => {
  if (!SAFE_METHODS.has(req.method) && crossOrigin(req)) {
    return next(createError(ErrorCode.FORBIDDEN, '拒绝来自其他站点的请求', 403));
  }
  next();
};
