import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
/**
 * Replace the block between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a Markdown file with
 * `body`, or append it under `heading` when the file has no such block yet.
 */
export function writeMarkdownSection(file, name, heading, body) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    const block = `${start}\n${body}\n${end}`;
    // A function replacement: `body` may hold "$" sequences that a replacement string would expand.
    const out = text.includes(start)
        ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => block)
        : `${text.trimEnd()}\n\n## ${heading}\n\n${block}\n`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, out);
}
//# sourceMappingURL=markdownSection.js.map