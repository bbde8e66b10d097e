// Request bodies as discord.js sends them: JSON, or multipart/form-data with payload_json and files[n].
import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface ParsedBody {
  /** The JSON body, or the multipart payload_json field parsed. */
  json: any;
  files: UploadedFile[];
  multipart: boolean;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (!raw.length) return { json: undefined, files: [], multipart: false };
  if (contentType?.startsWith('multipart/form-data')) {
    // The platform's Response already implements a complete multipart parser.
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    let json: any;
    const files: UploadedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = JSON.parse(value);
      } else {
        files.push({ field, filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { json, files, multipart: true };
  }
  const text = raw.toString('utf8');
  return { json: contentType?.includes('json') ? JSON.parse(text) : text, files: [], multipart: false };
}
