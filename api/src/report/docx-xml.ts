import { readZip } from './zip-package.js';

// Reading a generated .docx back as text: the body's paragraphs and tables in document
// order. Used by the tests (and handy for debugging) to check what the document says.

export type Block = { kind: 'p'; text: string } | { kind: 'table'; rows: string[][] };

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

const textOf = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1]!)).join('');

/** Top-level paragraphs and tables of word/document.xml, in order. */
export function documentBlocks(documentXml: string): Block[] {
  const body = documentXml.slice(documentXml.indexOf('<w:body>'));
  const blocks: Block[] = [];
  for (const m of body.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>|<w:p[ >][\s\S]*?<\/w:p>|<w:p\/>/g)) {
    const xml = m[0];
    if (xml.startsWith('<w:tbl>')) {
      const rows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => textOf(c[0])));
      blocks.push({ kind: 'table', rows });
    } else {
      blocks.push({ kind: 'p', text: textOf(xml) });
    }
  }
  return blocks;
}

/** The table right after the first paragraph that starts with `caption` (skipping a unit note). */
export function tableAfter(blocks: Block[], caption: string): string[][] | undefined {
  const i = blocks.findIndex((b) => b.kind === 'p' && b.text.startsWith(caption));
  if (i < 0) return undefined;
  for (const b of blocks.slice(i + 1, i + 4)) if (b.kind === 'table') return b.rows;
  return undefined;
}

export interface DocxParts {
  documentXml: string;
  relsXml: string;
  media: Map<string, Buffer>;
  names: string[];
}

export function docxParts(docx: Buffer): DocxParts {
  const entries = readZip(docx);
  const get = (name: string) => entries.find((e) => e.name === name)?.data.toString('utf8') ?? '';
  return {
    documentXml: get('word/document.xml'),
    relsXml: get('word/_rels/document.xml.rels'),
    media: new Map(entries.filter((e) => e.name.startsWith('word/media/')).map((e) => [e.name, e.data])),
    names: entries.map((e) => e.name),
  };
}
