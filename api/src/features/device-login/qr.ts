import QRCode from 'qrcode';

/**
 * A QR code as a PNG data URL: printable, and sendable as an image. Error correction M (15 %)
 * survives a phone photographing a screen; the quiet zone of 2 modules keeps it readable on a
 * white page.
 */
export const qrPng = (text: string) => QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
