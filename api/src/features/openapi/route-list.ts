import type { Express } from 'express';

export interface RouteEntry {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express path with the mount prefix, e.g. /api/v1/users/:id */
  path: string;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every route the real app serves, walked from its router stack (express 5 / router 2:
 * `app.router.stack`, mounted routers keep their mount path in `layer.rawPath`).
 * Only string paths are listed: the single-page app's regex fallback is not an API route.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') continue;
        for (const [m, on] of Object.entries(layer.route.methods)) {
          if (!on || m === '_all') continue;
          const method = m.toUpperCase() as RouteEntry['method'];
          if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
          out.push({ method, path: join(prefix, layer.route.path) });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '';
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const seen = new Set<string>();
  return out.filter((r) => {
    const k = `${r.method} ${r.path}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function join(a: string, b: string): string {
  const s = `${a.replace(/\/$/, '')}/${b.replace(/^\//, '')}`;
  return s.length > 1 ? s.replace(/\/$/, '') : s;
}

export const isMutating = (r: RouteEntry) => r.method !== 'GET';
