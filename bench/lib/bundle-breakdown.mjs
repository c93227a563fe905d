// Where a minified bundle's bytes come from: each byte of terser's output is attributed, through
// the source map chain (src/*.ts → dist/*.js → rollup bundle → terser), to the source module it
// was made from, and each module's share of the min+gzip size is estimated.
import { gzipSync } from 'node:zlib';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((char, index) => [char, index]));

/** Decodes a source map's `mappings` into lines of segments `[generatedColumn, sourceIndex?]`. */
function decodeMappings(mappings) {
  const lines = [];
  let sourceIndex = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64_VALUE.get(char);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length >= 4) {
        sourceIndex += fields[1];
        segments.push([column, sourceIndex]);
      } else {
        segments.push([column]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** A readable module name: `src/…` for camb-rx, `<package>/…` for a dependency. */
export function moduleLabel(source) {
  const inNodeModules = source.lastIndexOf('node_modules/');
  if (inNodeModules !== -1) return source.slice(inNodeModules + 'node_modules/'.length);
  const inSrc = source.lastIndexOf('src/');
  return inSrc !== -1 ? source.slice(inSrc) : source;
}

/** The package a module label belongs to: `camb-rx`, `zod`, `rxjs`, … */
export const packageOf = (label) => (label.startsWith('src/') ? 'camb-rx' : label.startsWith('(') ? label : label.split('/')[0]);

/**
 * Splits minified `code` by source module with its source map (`map.sources`, `map.mappings`).
 * Each generated range from one mapping to the next counts for the mapping's source; bytes before
 * the first mapping of a line, or after an unmapped segment, count as `(unmapped)`.
 *
 * @returns rows `{ module, package, minBytes, gzipAloneBytes, gzipShareBytes }`, largest first.
 *   `gzipAloneBytes` is the module's minified text gzipped on its own (level 9); `gzipShareBytes`
 *   spreads the bundle's real min+gzip size over modules in proportion to that, so rows sum to it.
 */
export function breakdown(code, map) {
  const textByModule = new Map();
  const add = (label, text) => textByModule.set(label, (textByModule.get(label) ?? '') + text);
  const lines = code.split('\n');
  decodeMappings(map.mappings).forEach((segments, lineIndex) => {
    const line = lines[lineIndex] ?? '';
    if (segments.length === 0 || segments[0][0] > 0) add('(unmapped)', line.slice(0, segments[0]?.[0] ?? line.length));
    segments.forEach(([column, sourceIndex], index) => {
      const end = segments[index + 1]?.[0] ?? line.length;
      add(sourceIndex === undefined ? '(unmapped)' : moduleLabel(map.sources[sourceIndex]), line.slice(column, end));
    });
    if (lineIndex < lines.length - 1) add('(unmapped)', '\n');
  });
  const totalGzip = gzipSync(code, { level: 9 }).length;
  const rows = [...textByModule].map(([module, text]) => ({
    module,
    package: packageOf(module),
    minBytes: Buffer.byteLength(text),
    gzipAloneBytes: gzipSync(text, { level: 9 }).length,
  }));
  const sumAlone = rows.reduce((sum, row) => sum + row.gzipAloneBytes, 0);
  for (const row of rows) row.gzipShareBytes = Math.round((totalGzip * row.gzipAloneBytes) / sumAlone);
  return rows.filter((row) => row.minBytes > 0).sort((a, b) => b.gzipShareBytes - a.gzipShareBytes || b.minBytes - a.minBytes);
}

/** Sums breakdown rows by package. */
export function byPackage(rows) {
  const totals = new Map();
  for (const row of rows) {
    const total = totals.get(row.package) ?? { package: row.package, minBytes: 0, gzipShareBytes: 0, modules: 0 };
    total.minBytes += row.minBytes;
    total.gzipShareBytes += row.gzipShareBytes;
    total.modules += 1;
    totals.set(row.package, total);
  }
  return [...totals.values()].sort((a, b) => b.gzipShareBytes - a.gzipShareBytes);
}
