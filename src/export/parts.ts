import type { UploadedPart } from "./job";
import { NDJSON } from "./lines";

const encoder = new TextEncoder();

/**
 * An R2 object written as a multipart upload of equal parts. R2 wants every part but the last of
 * one size, at least 5 MiB, and the last no larger: so the output is cut at exactly `partBytes`
 * (mid-line, mid-character: the parts are only ever read joined), each full part uploaded as soon
 * as it fills, and what is left (the tail) carried to the next step. An output that never fills a
 * part is one plain PUT, with no multipart upload at all.
 */
export class PartWriter {
  private chunks: Uint8Array[] = [];
  private pending = 0;

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly partBytes: number,
    /** The upload of earlier steps, if they filled a part. */
    public uploadId: string | null,
    /** The parts earlier steps recorded: numbering carries on from them, so a step done again replaces the parts it had uploaded. */
    readonly parts: UploadedPart[],
  ) {}

  /** Bytes written so far, by every step. */
  get written(): number {
    return this.parts.length * this.partBytes + this.pending;
  }

  /** Bytes that are not in a part yet. */
  append(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.chunks.push(bytes);
    this.pending += bytes.byteLength;
  }

  async write(text: string): Promise<void> {
    this.append(encoder.encode(text));
    while (this.pending >= this.partBytes) await this.uploadPart(this.take(this.partBytes));
  }

  /** The bytes past the last full part, handed over (the writer keeps none). */
  takeTail(): Uint8Array {
    return this.take(this.pending);
  }

  /** Writes what is left as the last part and completes the object; its size in bytes. */
  async finish(): Promise<number> {
    const size = this.written;
    const tail = this.takeTail();
    if (this.uploadId === null) {
      await this.bucket.put(this.key, tail, { httpMetadata: { contentType: NDJSON } });
      return size;
    }
    if (tail.byteLength > 0) await this.uploadPart(tail);
    try {
      await this.bucket.resumeMultipartUpload(this.key, this.uploadId).complete(this.parts);
    } catch (error) {
      // A step done again after it had completed the object but not recorded it: the upload is gone, the object is there.
      if ((await this.bucket.head(this.key))?.size === size) return size;
      throw error;
    }
    return size;
  }

  private async uploadPart(bytes: Uint8Array): Promise<void> {
    const upload =
      this.uploadId === null
        ? await this.bucket.createMultipartUpload(this.key, { httpMetadata: { contentType: NDJSON } })
        : this.bucket.resumeMultipartUpload(this.key, this.uploadId);
    this.uploadId = upload.uploadId;
    const part = await upload.uploadPart(this.parts.length + 1, bytes);
    this.parts.push({ partNumber: part.partNumber, etag: part.etag });
  }

  /** The first `n` pending bytes as one array. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const want = n - filled;
      if (chunk.byteLength <= want) {
        out.set(chunk, filled);
        filled += chunk.byteLength;
        this.chunks.shift();
      } else {
        out.set(chunk.subarray(0, want), filled);
        this.chunks[0] = chunk.subarray(want);
        filled = n;
      }
    }
    this.pending -= n;
    return out;
  }
}
