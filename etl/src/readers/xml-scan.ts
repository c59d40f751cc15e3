/**
 * A small streaming XML tokenizer for the parts of an .xlsx other than the sheet's rows
 * (workbook, relationships, styles, shared strings, inline strings, what follows the rows).
 * Spreadsheet XML needs no DTDs or namespaces resolved — only tags, attributes, text and the
 * predefined and numeric entities — so this does just that, with indexOf over the buffered
 * text (no general SAX machinery); the rows themselves have a faster path (xlsx-sheet.ts).
 *
 * Tag and attribute names are reported without their namespace prefix (`x:row` → `row`),
 * as some writers (the OpenXML SDK) prefix every element.
 */
export interface XmlHandler {
  /** `inner` is the raw text between `<` and `>`; read attributes from it with `attr`. */
  open(name: string, inner: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Decoded text; a text node may arrive in several pieces. */
  text(text: string): void;
}

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Replace the predefined and numeric character references. */
export function decodeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Value of attribute `name` (local name, any prefix) in a tag's inner text, decoded; undefined
 * when absent. Linear in the tag's length, no allocation but the value.
 */
export function attr(inner: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = inner.indexOf(name, from);
    if (at < 0) return undefined;
    from = at + name.length;
    const before = inner.charCodeAt(at - 1);
    // Preceded by whitespace (or a prefix's colon), followed by optional space and '='.
    if (!(isSpace(before) || before === 58)) continue;
    let i = from;
    while (isSpace(inner.charCodeAt(i))) i++;
    if (inner.charCodeAt(i) !== 61) continue;
    i++;
    while (isSpace(inner.charCodeAt(i))) i++;
    const q = inner[i];
    if (q !== '"' && q !== "'") return undefined;
    const end = inner.indexOf(q, i + 1);
    if (end < 0) return undefined;
    return decodeXml(inner.slice(i + 1, end));
  }
}

/** Feed text chunks; the handler is called as tags complete. */
export class XmlScanner {
  private buf = '';

  constructor(private readonly h: XmlHandler) {}

  write(chunk: string): void {
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    this.scan();
  }

  /** End of input: anything left that is not whitespace means the XML was cut short. */
  end(): void {
    if (this.buf.trim() !== '') throw new XmlError('XML 不完整（文件可能被截断）');
    this.buf = '';
  }

  private scan(): void {
    const buf = this.buf;
    const h = this.h;
    let pos = 0;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      // Text is emitted only once the next tag is seen, so no entity is ever split.
      if (lt < 0) break;
      if (lt > pos) {
        h.text(decodeXml(buf.slice(pos, lt)));
        pos = lt; // a tag cut by the chunk's end is scanned again, its text not
      }
      const c1 = buf.charCodeAt(lt + 1);
      if (c1 === 33 /* ! */ || c1 === 63 /* ? */) {
        let endMark = '>';
        if (buf.startsWith('<!--', lt)) endMark = '-->';
        else if (buf.startsWith('<![CDATA[', lt)) endMark = ']]>';
        else if (c1 === 63) endMark = '?>';
        else if (buf.length - lt < 9) break; // cannot tell yet which '<!' this is
        const end = buf.indexOf(endMark, lt + 2);
        if (end < 0) break;
        if (endMark === ']]>') h.text(buf.slice(lt + 9, end));
        pos = end + endMark.length;
        continue;
      }
      const gt = tagEnd(buf, lt);
      if (gt < 0) break;
      if (c1 === 47 /* / */) {
        h.close(localName(buf.slice(lt + 2, gt).trim()));
      } else {
        const selfClosing = buf.charCodeAt(gt - 1) === 47;
        const inner = buf.slice(lt + 1, selfClosing ? gt - 1 : gt);
        let n = 0;
        while (n < inner.length && !isSpace(inner.charCodeAt(n))) n++;
        const name = localName(inner.slice(0, n));
        h.open(name, inner, selfClosing);
        if (selfClosing) h.close(name);
      }
      pos = gt + 1;
    }
    this.buf = pos === 0 ? buf : buf.slice(pos);
  }
}

/** Index of the '>' that ends the tag starting at `lt` ('>' may stand inside a quoted value); -1 if not yet buffered. */
function tagEnd(buf: string, lt: number): number {
  let gt = buf.indexOf('>', lt);
  let i = lt + 1;
  while (gt >= 0) {
    // Look for a quote only inside the candidate tag: the search stays as short as the tag.
    for (; i < gt; i++) {
      const c = buf.charCodeAt(i);
      if (c === 34 || c === 39) break;
    }
    if (i >= gt) return gt;
    const close = buf.indexOf(buf[i], i + 1);
    if (close < 0) return -1;
    i = close + 1;
    if (close > gt) gt = buf.indexOf('>', i);
  }
  return -1;
}
