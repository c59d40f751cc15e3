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
    },
    { immediate: true, flush: 'post' },
  );
}
