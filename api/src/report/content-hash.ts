import { createHash } from 'node:crypto';
import { readZip } from './zip-package.js';

/**
 * The report's content hash: SHA-256 over every part of the .docx package (name and bytes,
 * in package order), with the cover's generated-time text masked in word/document.xml.
 * Everything else in the package is derived from the data (timestamps are fixed to the
 * as-of date), so the same data gives the same hash however often it is regenerated.
 */
export function reportContentHash(docx: Buffer, generatedAtText: string): string {
  const h = createHash('sha256');
  for (const e of readZip(docx)) {
    const data = e.name === 'word/document.xml' ? Buffer.from(e.data.toString('utf8').split(escapeXml(generatedAtText)).join('')) : e.data;
    h.update(e.name).update('\0').update(String(data.length)).update('\0').update(data);
  }
  return h.digest('hex');
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
