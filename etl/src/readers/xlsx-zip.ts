import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { XmlScanner, type XmlHandler } from './xml-scan.js';

/**
 * An .xlsx is a zip. yauzl reads its central directory (at the end of the file) first, so
 * every part can be opened in any order whatever order the writer stored them in (Excel
 * puts the worksheets before sharedStrings.xml and styles.xml), and a truncated or
 * malformed file fails at once: without a complete central directory there is nothing to
 * read, and each entry's size and CRC are checked as it is inflated.
 */
export class Zip {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: ReadonlyMap<string, yauzl.Entry>,
  ) {}

  static open(path: string): Promise<Zip> {
    return new Promise((resolve, reject) => {
      yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
        if (err || !zip) return reject(err ?? new Error('无法打开'));
        const entries = new Map<string, yauzl.Entry>();
        zip.on('entry', (e: yauzl.Entry) => {
          // Part names are case-insensitive (ECMA-376 Part 2); some writers store a leading '/'.
          entries.set(e.fileName.replace(/^\/+/, '').toLowerCase(), e);
          zip.readEntry();
        });
        zip.once('end', () => resolve(new Zip(zip, entries)));
        zip.once('error', (e: Error) => {
          zip.close();
          reject(e);
        });
        zip.readEntry();
      });
    });
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  private stream(name: string): Promise<Readable> {
    const entry = this.entries.get(name.toLowerCase());
    if (!entry) return Promise.reject(new Error(`缺少 ${name}`));
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error(`无法读取 ${name}`)) : resolve(s)));
    });
  }

  /**
   * Decoded text of part `name` in chunks, pushed through an XmlScanner to `handler` as it
   * goes; yields after each chunk so the caller can pause between them (back-pressure).
   */
  async *chunks(name: string, handler?: XmlHandler): AsyncGenerator<void> {
    const s = await this.stream(name);
    const scanner = handler ? new XmlScanner(handler) : null;
    const decoder = new StringDecoder('utf8');
    let first = true;
    try {
      for await (const buf of s as AsyncIterable<Buffer>) {
        let text = decoder.write(buf);
        if (first) {
          text = text.replace(/^\uFEFF/, '');
          first = false;
        }
        scanner?.write(text);
        yield;
      }
      scanner?.write(decoder.end());
      scanner?.end();
    } finally {
      s.destroy();
    }
  }

  /** Read a whole (small) part through `handler`. */
  async read(name: string, handler: XmlHandler): Promise<void> {
    for await (const _ of this.chunks(name, handler)) void _;
  }

  close(): void {
    this.zip.close();
  }
}
