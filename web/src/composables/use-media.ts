import { onBeforeUnmount, ref } from 'vue';

/** True while the viewport is at most `maxWidth` px wide (phones). */
export function useIsMobile(maxWidth = 760) {
  const mq = window.matchMedia(`(max-width: ${maxWidth}px)`);
  const mobile = ref(mq.matches);
  const onChange = (e: MediaQueryListEvent) => (mobile.value = e.matches);
  mq.addEventListener('change', onChange);
  onBeforeUnmount(() => mq.removeEventListener('change', onChange));
  return mobile;
}
