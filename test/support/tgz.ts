/**
 * A minimal npm-style tarball packer: ustar headers + gzip, every file under `package/`, one fixed
 * mtime so the same files always give the same bytes (and the same integrity).
 */
import { gzipSync } from 'node:zlib';

const BLOCK = 512;
const FIXED_MTIME = 499162500; // npm pack's own fixed date, 1985-10-26

export function packTgz(files: Record<string, string | Uint8Array>): Buffer {
  const blocks: Buffer[] = [];
  for (const name of Object.keys(files).sort()) {
    const content = files[name]!;
    const data = Buffer.from(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    blocks.push(header(`package/${name}`, data.length), data, Buffer.alloc(padding(data.length)));
  }
  blocks.push(Buffer.alloc(BLOCK * 2)); // end of archive
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: name too long for a plain ustar header: ${name}`);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  octal(block, 100, 8, 0o644); // mode
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, size);
  octal(block, 136, 12, FIXED_MTIME);
  block.fill(' ', 148, 156); // checksum counts as spaces while summing
  block.write('0', 156); // regular file
  block.write('ustar\u0000', 257, 'latin1');
  block.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return block;
}

/** Zero-padded octal, NUL-terminated, filling the field. */
function octal(block: Buffer, offset: number, length: number, value: number) {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
