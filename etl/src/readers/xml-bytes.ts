/**
 * Byte-level helpers for reading spreadsheet XML straight from the inflated bytes (the
 * sheet's rows and the shared strings: hundreds of MB for a 1,000,000-row sheet), without
 * decoding it to a JS string first. Plain loops over the Uint8Array: V8 compiles them to
 * tight code, where Buffer#indexOf is a call into C++ per search.
 */
export const LT = 60;
export const GT = 62;
export const SLASH = 47;
export const COLON = 58;

export const isWs = (b: number) => b === 32 || b === 9 || b === 10 || b === 13;

/** Index of byte `b` in buf[from, buf.length); -1 when absent. */
export function indexOfByte(buf: Uint8Array, b: number, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] === b) return i;
  return -1;
}

/** End of the tag name starting at i (the first space, '>' or '/'); -1 when the bytes run out. */
export function nameEnd(buf: Uint8Array, i: number): number {
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b === GT || b === SLASH || isWs(b)) return i;
  }
  return -1;
}

/** Whether buf[from, to) is a name whose local part (after any `prefix:`) is `local` (ASCII). */
export function isLocal(buf: Uint8Array, from: number, to: number, local: string): boolean {
  const start = to - local.length;
  if (start < from || (start > from && buf[start - 1] !== COLON)) return false;
  for (let k = 0; k < local.length; k++) if (buf[start + k] !== local.charCodeAt(k)) return false;
  return true;
}

/** Index of the '>' that ends a tag, searching from i ('>' may stand inside a quoted value); -1 when not yet buffered. */
export function tagEnd(buf: Uint8Array, i: number): number {
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b === GT) return i;
    if (b === 34 || b === 39) {
      i = indexOfByte(buf, b, i + 1);
      if (i < 0) return -1;
    }
  }
  return -1;
}

/** Whether buf holds the ASCII text `s` at i: 1 yes, 0 no, -1 cannot tell yet (the bytes run out). */
export function bytesAt(buf: Uint8Array, i: number, s: Uint8Array): number {
  for (let k = 0; k < s.length; k++) {
    if (i + k >= buf.length) return -1;
    if (buf[i + k] !== s[k]) return 0;
  }
  return 1;
}

/** Text of buf[from, to) as UTF-8 (the rare cells and items that need a JS string). */
export const utf8 = (buf: Uint8Array, from: number, to: number) => Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('utf8');
