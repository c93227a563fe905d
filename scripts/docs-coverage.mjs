/**
 * Lists the exports of every entry point (from typedoc.json) that lack a summary or an `@example`,
 * which ARCHITECTURE.md ("Docs") asks of every export. Exits 1 when any does.
 *
 *   node scripts/docs-coverage.mjs
 */
import { Application, ReflectionKind } from 'typedoc';

const app = await Application.bootstrapWithPlugins({ logLevel: 'Error', validation: { notDocumented: false } });
const project = await app.convert();
if (!project) throw new Error('docs-coverage: TypeDoc could not convert the project');

/** The comment of an export: a function's is on its first signature. */
const commentOf = (reflection) => reflection.comment ?? reflection.signatures?.[0]?.comment;

const missing = [];
for (const entry of project.children ?? []) {
  for (const reflection of entry.children ?? []) {
    const comment = commentOf(reflection);
    const gaps = [];
    if (!comment?.summary.some((part) => part.text.trim() !== '')) gaps.push('summary');
    if (!comment?.blockTags.some((tag) => tag.tag === '@example')) gaps.push('@example');
    if (gaps.length > 0) missing.push(`${entry.name}: ${reflection.name} (${ReflectionKind.singularString(reflection.kind)}) lacks ${gaps.join(' and ')}`);
  }
}
console.log(missing.length === 0 ? 'Every export has a summary and an @example.' : missing.join('\n'));
process.exitCode = missing.length === 0 ? 0 : 1;
