/**
 * A folder as a ustar archive, read file by file into a web ReadableStream (downloads of exports
 * that are more than one file). Names up to 100 bytes, or 255 split at a slash into prefix and name.
 */
import fs from "node:fs";
import path from "node:path";

const BLOCK = 512;

/**
 * Every name is checked before the stream is made (a name the format cannot hold throws here, before
 * any answer is sent, not midway through one); `onDone` runs once the stream ends, fails or is cancelled.
 */
export function tarStream(folder: string, onDone: () => void): ReadableStream<Uint8Array> {
  const files = listFiles(folder);
  for (const relative of files) splitName(relative);
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const relative = files[index++];
      if (relative === undefined) {
        controller.enqueue(new Uint8Array(BLOCK * 2));
        controller.close();
        onDone();
        return;
      }
      try {
        const data = fs.readFileSync(path.join(folder, relative));
        controller.enqueue(header(relative, data.length));
        controller.enqueue(data);
        const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
        if (padding > 0) controller.enqueue(new Uint8Array(padding));
      } catch (error) {
        controller.error(error);
        onDone();
      }
    },
    cancel: onDone,
  });
}

function listFiles(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

function header(name: string, size: number): Uint8Array {
  const block = Buffer.alloc(BLOCK);
  const [prefix, base] = splitName(name);
  block.write(base, 0, 100, "utf8");
  block.write("0000644\0", 100, "ascii");
  block.write("0000000\0", 108, "ascii");
  block.write("0000000\0", 116, "ascii");
  block.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "ascii");
  block.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, "0")}\0`, 136, "ascii");
  block.write("        ", 148, "ascii");
  block.write("0", 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  block.write(prefix, 345, 155, "utf8");
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return block;
}

function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ["", name];
  const cut = name.lastIndexOf("/", name.length - 1);
  const prefix = name.slice(0, cut);
  const base = name.slice(cut + 1);
  if (cut < 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(base) > 100) throw new Error(`path too long for a tar archive: ${name}`);
  return [prefix, base];
}
