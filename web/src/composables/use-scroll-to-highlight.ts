import { nextTick, watch, type WatchSource } from 'vue';

/**
 * An alert's link names a row (?finding=, ?asset=, ?bondType=…) that the page marks with
 * `.hl-row` / `.hl-card`; the row may sit far down a long table, so once `ready` turns truthy
 * (the rows are rendered) the first marked element is scrolled to the middle of the screen,
 * once per link.
 */
export function useScrollToHighlight(key: WatchSource<string | null>, ready: WatchSource<unknown>): void {
  let done: string | null = null;
  watch(
    [key, ready],
    async ([k, r]) => {
      if (!k || !r || done === k) return;
      await nextTick();
      const el = document.querySelector('.hl-row, .hl-card');
      if (!el) return;
      done = k;
      el.scrollIntoView({ block: 'center' });
      // Tables and charts above it may still be laying out and push the row down: keep it in
      // view for a moment, unless the reader has started scrolling on their own.
      let reader = false;
      const mine = () => (reader = true);
      for (const e of ['wheel', 'touchstart', 'keydown'] as const) window.addEventListener(e, mine, { once: true, passive: true });
      for (const ms of [150, 500, 1200]) {
        setTimeout(() => {
          const r = el.getBoundingClientRect();
          if (!reader && el.isConnected && (r.top < 0 || r.bottom > window.innerHeight)) el.scrollIntoView({ block: 'center' });
        }, ms);
      }
    },
    { immediate: true, flush: 'post' },
  );
}
