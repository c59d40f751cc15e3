import zlib from 'node:zlib';

// PNG encoding of raw RGBA pixels as an opaque RGB image (8 bits per channel, filter 0), so
// one resvg raster of the stacked charts (drawn on white) can be cut into one image per chart.

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Rows [top, top + height) of an opaque RGBA raster `width` pixels wide, as an RGB PNG file. */
export function encodePngRows(rgba: Buffer, width: number, top: number, height: number): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    let out = y * stride + 1; // byte 0 of each row: filter none
    let src = (top + y) * width * 4;
    for (let x = 0; x < width; x++, src += 4) {
      raw[out++] = rgba[src]!;
      raw[out++] = rgba[src + 1]!;
      raw[out++] = rgba[src + 2]!;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
