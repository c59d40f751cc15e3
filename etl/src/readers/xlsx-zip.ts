import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { XmlScanner, type XmlHandler } from './xml-scan.js';

/** Where a part's text goes as it inflates. */
export interface TextSink {
  write(text: string): void;
  end(): void;
}

/**
 * An .xlsx is a zip. yauzl reads its central directory (at the end of the file) first, so
 * every part can be opened in any order whatever order the writer stored them in (Excel
 * puts the worksheets before sharedStrings.xml and styles.xml), and a truncated or
 * malformed file fails at once: without a complete central directory there is nothing to
 * read, and each entry's size and CRC are checked as it is inflated.
 */
export class Zip {
  private constructor(
    private readonly path: string,
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
        zip.once('end', () => resolve(new Zip(path, zip, entries)));
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

  /** Uncompressed size of part `name` as the central directory records it (0 when absent). */
  size(name: string): number {
    return this.entries.get(name.toLowerCase())?.uncompressedSize ?? 0;
  }

  /**
   * Part `name` inflated, in large chunks: the file range is read with 1 MB reads and
   * inflated 256 KB at a time (yauzl's own stream reads 16 KB and inflates 16 KB per
   * callback, ~3,000 thread-pool round trips per 50 MB of sheet XML). yauzl does not check
   * CRC-32; this does, with the size, so a damaged part fails rather than loading garbage.
   */
  async *bytes(name: string): AsyncGenerator<Buffer> {
    const entry = this.entries.get(name.toLowerCase());
    if (!entry) throw new Error(`缺少 ${name}`);
    if (entry.isEncrypted()) throw new Error(`${name} 已加密（请另存为未加密的工作簿）`);
    const { fileDataStart } = await new Promise<{ fileDataStart: number }>((resolve, reject) =>
      this.zip.readLocalFileHeader(entry, { minimal: true }, (err, h) => (err ? reject(err) : resolve(h))),
    );
    const raw = fs.createReadStream(this.path, { start: fileDataStart, end: fileDataStart + entry.compressedSize - 1, highWaterMark: 1 << 20 });
    let source: AsyncIterable<Buffer> = raw;
    let inflate: zlib.InflateRaw | null = null;
    if (entry.compressionMethod === 8) {
      inflate = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
      raw.on('error', (err) => inflate!.destroy(err));
      source = raw.pipe(inflate);
    } else if (entry.compressionMethod !== 0) {
      raw.destroy();
      throw new Error(`${name} 的压缩方式 ${entry.compressionMethod} 不受支持`);
    }
    let crc = 0;
    let size = 0;
    try {
      for await (const buf of source) {
        crc = zlib.crc32(buf, crc);
        size += buf.length;
        if (size > entry.uncompressedSize) throw new Error(`${name} 解压后的大小超过目录记录的 ${entry.uncompressedSize} 字节`);
        yield buf;
      }
    } finally {
      raw.destroy();
      inflate?.destroy();
    }
    if (size !== entry.uncompressedSize) throw new Error(`${name} 解压后 ${size} 字节，目录记录为 ${entry.uncompressedSize} 字节`);
    if (crc >>> 0 !== entry.crc32 >>> 0) throw new Error(`${name} 的 CRC 校验失败（数据已损坏）`);
  }

  /**
   * Decoded text of part `name` in chunks, written to `sink` (an XmlScanner, or the sheet
   * reader) as it goes; yields after each chunk so the caller can pause between them.
   */
  async *chunks(name: string, sink: TextSink): AsyncGenerator<void> {
    const scanner = sink;
    const decoder = new StringDecoder('utf8');
    let first = true;
    for await (const buf of this.bytes(name)) {
      let text = decoder.write(buf);
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      scanner.write(text);
      yield;
    }
    scanner.write(decoder.end());
    scanner.end();
  }

  /** Read a whole (small) part through `handler`. */
  async read(name: string, handler: XmlHandler): Promise<void> {
    for await (const _ of this.chunks(name, new XmlScanner(handler))) void _;
  }

  close(): void {
    this.zip.close();
  }
}
