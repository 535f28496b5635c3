// Prints the gzip size of every asset in dist/, and names the first page's chunk and the interview page's chunk.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Sizes in bytes of each asset, raw and gzipped, plus which files are the entry and the interview chunk. */
export function bundleSizes() {
  const assets = readdirSync(join(dist, "assets")).map((name) => {
    const bytes = readFileSync(join(dist, "assets", name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const entryName = /src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  const cssName = /href="\/assets\/([^"]+\.css)"/.exec(html)?.[1];
  return {
    assets,
    entry: assets.find((a) => a.name === entryName),
    css: assets.find((a) => a.name === cssName),
    interview: assets.find((a) => a.name.startsWith("InterviewPage-") && a.name.endsWith(".js")),
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

export function printBundleSizes() {
  const { assets, entry, css, interview } = bundleSizes();
  console.log("asset".padEnd(44), "raw".padStart(11), "gzip".padStart(11));
  for (const a of assets.sort((x, y) => y.gzip - x.gzip)) console.log(a.name.padEnd(44), kb(a.raw).padStart(11), kb(a.gzip).padStart(11));
  console.log(`first page: ${entry?.name} ${kb(entry?.gzip ?? 0)} gzip JS + ${kb(css?.gzip ?? 0)} gzip CSS`);
  console.log(`interview page chunk: ${interview?.name} ${kb(interview?.gzip ?? 0)} gzip`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printBundleSizes();
