/**
 * A streaming reader of the OCI distribution API's tag list (`{"name": "...", "tags": ["...", ...]}`),
 * so a page is never held in memory: each tag is handed to `onTag` as it is read, and only one tag
 * at a time is buffered (at most `MAX_TAG_LENGTH` characters; a longer string cannot be a tag and is
 * skipped unread). A registry answering with one page of 130,000 tags, or with pages of long
 * junk tags, costs memory for the tags the caller keeps, nothing more.
 *
 * Strict where it matters: the document must be one JSON object, `tags` (when present and not null)
 * an array of strings; other members are skipped whatever they hold.
 */

/** The OCI distribution spec's longest tag: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
export const MAX_TAG_LENGTH = 128;

interface Frame {
  readonly kind: 'object' | 'array';
  /** In an object: the next string is a member name. */
  expectName: boolean;
}

/** Feeds text chunks in order with `write`, then `end`; throws on malformed input. */
export class TagsListReader {
  private readonly frames: Frame[] = [];
  /** The name of the top-level member whose value is being read. */
  private member: string | undefined;
  private started = false;
  private done = false;
  private tagsSeen = false;
  // The string being read: at most MAX_TAG_LENGTH characters are kept.
  private inString = false;
  private escape: string | undefined;
  private text = '';
  private overflow = false;
  // A number, true, false or null being read.
  private literal = '';

  constructor(
    private readonly what: string,
    private readonly onTag: (tag: string) => void,
  ) {}

  write(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.inString) {
        i = this.readString(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (/[-+.0-9a-zA-Z]/.test(c) && (this.literal !== '' || /[-0-9a-z]/.test(c))) {
        this.literal += c;
        if (this.literal.length > 64) this.fail('holds an over-long literal');
        i++;
        continue;
      }
      if (this.literal !== '') this.endLiteral();
      i++;
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      const top = this.frames[this.frames.length - 1];
      switch (c) {
        case '{':
        case '[':
          this.startValue(c === '{' ? 'object' : 'array');
          this.frames.push({ kind: c === '{' ? 'object' : 'array', expectName: c === '{' });
          break;
        case '}':
        case ']':
          if (this.frames.pop()?.kind !== (c === '}' ? 'object' : 'array')) this.fail('is not valid JSON');
          if (this.frames.length === 0) this.done = true;
          break;
        case ':':
          if (top?.kind !== 'object' || top.expectName) this.fail('is not valid JSON');
          break;
        case ',':
          if (top?.kind === 'object') top.expectName = true;
          else if (top?.kind !== 'array') this.fail('is not valid JSON');
          break;
        case '"':
          this.inString = true;
          this.text = '';
          this.overflow = false;
          break;
        default:
          this.fail('is not valid JSON');
      }
    }
  }

  end(): void {
    if (this.literal !== '') this.endLiteral();
    if (this.inString || this.frames.length > 0 || !this.started) this.fail('ends before the document does');
  }

  /** Inside the array that is the value of the top-level member "tags". */
  private inTags(): boolean {
    return this.frames.length === 2 && this.frames[1]!.kind === 'array' && this.member === 'tags';
  }

  /** The value of the top-level member "tags" itself starts here. */
  private atTags(): boolean {
    return this.frames.length === 1 && this.member === 'tags';
  }

  /** A value that is not a string starts: the document itself, or a member or element. */
  private startValue(kind: 'object' | 'array' | 'literal', literal?: string): void {
    if (this.done) this.fail('has data after the document');
    if (this.frames.length === 0) {
      this.started = true;
      if (kind !== 'object') this.fail('is not an object');
      return;
    }
    if (this.inTags()) this.fail('has a "tags" entry that is not a string');
    if (this.atTags() && kind !== 'array' && literal !== 'null') this.fail('has "tags" that is not an array');
  }

  private readString(chunk: string, from: number): number {
    let i = from;
    const n = chunk.length;
    while (i < n) {
      if (this.escape !== undefined) {
        this.escape += chunk[i]!;
        i++;
        const e = this.escape;
        if (e.length === 2 && e !== '\\u') {
          const ch = SIMPLE_ESCAPES[e];
          if (ch === undefined) this.fail('has an invalid escape in a string');
          this.append(ch);
          this.escape = undefined;
        } else if (e.length === 6) {
          if (!/^\\u[0-9a-fA-F]{4}$/.test(e)) this.fail('has an invalid escape in a string');
          this.append(String.fromCharCode(parseInt(e.slice(2), 16)));
          this.escape = undefined;
        }
        continue;
      }
      // Fast path: everything up to the next quote or backslash.
      let j = i;
      while (j < n) {
        const code = chunk.charCodeAt(j);
        if (code === 0x22 || code === 0x5c) break;
        if (code < 0x20) this.fail('has a control character in a string');
        j++;
      }
      if (j > i) this.append(chunk.slice(i, j));
      if (j === n) return n;
      if (chunk.charCodeAt(j) === 0x5c) {
        this.escape = '\\';
        i = j + 1;
        continue;
      }
      this.inString = false;
      this.endString();
      return j + 1;
    }
    return i;
  }

  private append(s: string): void {
    if (this.overflow) return;
    if (this.text.length + s.length > MAX_TAG_LENGTH) {
      this.overflow = true;
      this.text = '';
      return;
    }
    this.text += s;
  }

  private endString(): void {
    const top = this.frames[this.frames.length - 1];
    if (top?.kind === 'object' && top.expectName) {
      top.expectName = false;
      if (this.frames.length === 1) {
        this.member = this.overflow ? '' : this.text;
        if (this.member === 'tags') {
          if (this.tagsSeen) this.fail('has "tags" twice');
          this.tagsSeen = true;
        }
      }
      return;
    }
    if (this.done) this.fail('has data after the document');
    if (this.frames.length === 0) {
      this.started = true;
      this.fail('is not an object');
    }
    if (this.inTags()) {
      // A string longer than any tag is not a tag: skipped, never buffered.
      if (!this.overflow) this.onTag(this.text);
      return;
    }
    if (this.atTags()) this.fail('has "tags" that is not an array');
  }

  private endLiteral(): void {
    const literal = this.literal;
    this.literal = '';
    if (!/^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?)$/.test(literal)) this.fail('is not valid JSON');
    this.startValue('literal', literal);
  }

  private fail(why: string): never {
    throw new Error(`${this.what} ${why}`);
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\"': '"', '\\\\': '\\', '\\/': '/', '\\b': '\b', '\\f': '\f', '\\n': '\n', '\\r': '\r', '\\t': '\t' };

/**
 * Reads a tag list from a response body, handing each tag to `onTag`; at most `maxBytes` are read.
 * Memory stays bounded by one tag, whatever the page holds.
 */
export async function readTagsList(body: ReadableStream<Uint8Array> | null, maxBytes: number, what: string, onTag: (tag: string) => void): Promise<void> {
  const reader = new TagsListReader(what, onTag);
  if (!body) {
    reader.end();
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await stream.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new Error(`${what} is larger than ${maxBytes} bytes; refusing to read it`);
      reader.write(decoder.decode(value, { stream: true }));
    }
    reader.write(decoder.decode());
    reader.end();
  } catch (err) {
    await stream.cancel().catch(() => undefined);
    if (err instanceof TypeError && /encoded data was not valid/i.test(err.message)) throw new Error(`${what} is not valid UTF-8`);
    throw err;
  }
}
