// Fails when files under src/ import each other in a circle (type-only imports count too: a circle
// of types is still two files that cannot be understood one without the other). As RxJS's
// `test:circular`, without a dependency: relative imports are read from the source text.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../src');
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => path.join(root, file));

const importPattern = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g;
const edges = new Map(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(importPattern)].map((match) => path.resolve(path.dirname(file), match[1].replace(/\.js$/, '.ts')));
    return [file, targets.filter((target) => target !== file)];
  }),
);

// Tarjan's strongly connected components: every component of more than one file is a circle.
let index = 0;
const indexOf = new Map();
const lowLink = new Map();
const stack = [];
const onStack = new Set();
const circles = [];
function visit(file) {
  indexOf.set(file, index);
  lowLink.set(file, index++);
  stack.push(file);
  onStack.add(file);
  for (const target of edges.get(file) ?? []) {
    if (!edges.has(target)) continue;
    if (!indexOf.has(target)) {
      visit(target);
      lowLink.set(file, Math.min(lowLink.get(file), lowLink.get(target)));
    } else if (onStack.has(target)) lowLink.set(file, Math.min(lowLink.get(file), indexOf.get(target)));
  }
  if (lowLink.get(file) !== indexOf.get(file)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(path.relative(root, member));
  } while (member !== file);
  if (component.length > 1) circles.push(component.sort());
}
for (const file of files) if (!indexOf.has(file)) visit(file);

if (circles.length > 0) {
  for (const circle of circles) console.error(`circular imports: src/${circle.join(', src/')}`);
  process.exit(1);
}
console.log(`no circular imports among ${files.length} files in src/`);
