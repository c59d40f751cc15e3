import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { Request } from 'express';
import type { Knex } from 'knex';
import { toRegionId, type RegionKey } from '../../contract/common.js';
import { createError, ErrorCode } from '../../errors.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 5;
/** Text and files together; a bigger request is refused before it is read. */
const MAX_REQUEST_BYTES = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024;

const OLE = [0xd0, 0xcf, 0x11, 0xe0]; // .doc/.xls/.ppt
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // .docx/.xlsx/.pptx
/** What a liaison may attach, by extension, with the bytes the file must start with. */
const TYPES: Record<string, { type: string; magic: number[][] }> = {
  pdf: { type: 'application/pdf', magic: [[0x25, 0x50, 0x44, 0x46]] },
  png: { type: 'image/png', magic: [[0x89, 0x50, 0x4e, 0x47]] },
  jpg: { type: 'image/jpeg', magic: [[0xff, 0xd8, 0xff]] },
  jpeg: { type: 'image/jpeg', magic: [[0xff, 0xd8, 0xff]] },
  doc: { type: 'application/msword', magic: [OLE] },
  xls: { type: 'application/vnd.ms-excel', magic: [OLE] },
  ppt: { type: 'application/vnd.ms-powerpoint', magic: [OLE] },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: [ZIP] },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: [ZIP] },
  pptx: { type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: [ZIP] },
};
export const ALLOWED_EXTENSIONS = Object.keys(TYPES);

export interface Upload {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * A reply posted as multipart/form-data: the text field `body` and up to MAX_FILES `files`.
 * Each file is checked by extension and by its first bytes (a renamed .exe is not a PDF); the
 * stored content type comes from that check, never from the client.
 */
export async function readReplyForm(req: Request): Promise<{ body: string; files: Upload[] }> {
  const ct = req.get('content-type') ?? '';
  if (!/^multipart\/form-data;/i.test(ct)) {
    throw createError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, '答复须以 multipart/form-data 提交（字段 body 与 files）', 415);
  }
  if (Number(req.get('content-length') ?? 0) > MAX_REQUEST_BYTES) tooLarge();
  let seen = 0;
  const counted = req.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        seen += chunk.length;
        cb(seen > MAX_REQUEST_BYTES ? createError(ErrorCode.PAYLOAD_TOO_LARGE, sizeMessage(), 413) : null, chunk);
      },
    }),
  );
  let form: FormData;
  try {
    form = await new Request('http://local/', {
      method: 'POST', headers: { 'content-type': ct }, body: Readable.toWeb(counted) as ReadableStream, duplex: 'half',
    } as RequestInit).formData();
  } catch (e) {
    if ((e as { status?: number }).status === 413 || seen > MAX_REQUEST_BYTES) tooLarge();
    throw createError(ErrorCode.VALIDATION, '无法读取提交的表单', 400);
  }
  const body = String(form.get('body') ?? '').trim();
  if (!body) throw createError(ErrorCode.VALIDATION, '字段 body: 请填写答复内容', 400);
  if (body.length > 5000) throw createError(ErrorCode.VALIDATION, '字段 body: 答复内容不能超过 5000 字', 400);
  const entries = form.getAll('files').filter((f): f is File => typeof f !== 'string');
  if (entries.length > MAX_FILES) throw createError(ErrorCode.VALIDATION, `字段 files: 附件最多 ${MAX_FILES} 个`, 400);
  const files: Upload[] = [];
  for (const f of entries) {
    const filename = f.name.replace(/[\\/\u0000-\u001f]/g, '_').slice(-200) || '附件';
    if (f.size > MAX_FILE_BYTES) tooLarge(filename);
    const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
    const kind = TYPES[ext];
    if (!kind) throw createError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `附件「${filename}」类型不允许（可上传 ${ALLOWED_EXTENSIONS.join('、')}）`, 415);
    const content = Buffer.from(await f.arrayBuffer());
    if (!kind.magic.some((m) => m.every((b, i) => content[i] === b))) {
      throw createError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `附件「${filename}」的内容不是 .${ext} 文件`, 415);
    }
    files.push({ filename, contentType: kind.type, content });
  }
  return { body, files };
}

const sizeMessage = (name?: string) => `${name ? `附件「${name}」` : '提交内容'}超过大小限制（每个附件不超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，最多 ${MAX_FILES} 个）`;
function tooLarge(name?: string): never {
  throw createError(ErrorCode.PAYLOAD_TOO_LARGE, sizeMessage(name), 413);
}

export async function insertAttachments(knex: Knex, regionCode: string, replyId: string, files: Upload[]): Promise<void> {
  for (const f of files) {
    await knex('reply_attachments').insert({
      region_code: regionCode, reply_id: replyId, filename: f.filename, content_type: f.contentType, size: f.content.length,
      sha256: createHash('sha256').update(f.content).digest('hex'), content: f.content,
    });
  }
}

/** Attachment metadata of some replies (by region and id), by the reply's public id (never the bytes). */
export async function attachmentsOf(knex: Knex, replies: RegionKey[]) {
  const rows = replies.length
    ? await knex('reply_attachments').whereIn(['region_code', 'reply_id'], replies.map((r) => [r.regionCode, r.id])).orderBy('id')
      .select('id', 'region_code', 'reply_id', 'filename', 'content_type', 'size')
    : [];
  const by = new Map<string, { id: string; filename: string; contentType: string; size: number }[]>();
  for (const r of rows) {
    const reply = toRegionId(r.region_code, r.reply_id);
    by.set(reply, [...(by.get(reply) ?? []), { id: toRegionId(r.region_code, r.id), filename: r.filename, contentType: r.content_type, size: r.size }]);
  }
  return by;
}
