import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** What a phone's camera would read from a PNG data URL: the tests "scan" the codes the API issues. */
export function decodeQrDataUrl(dataUrl: string): string | undefined {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}
