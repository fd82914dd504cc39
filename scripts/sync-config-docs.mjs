// Rewrites the configuration table in README.md (between the config-table markers) from the
// knob table in src/config/config.ts, so the docs cannot drift. Run after `npm run build`.
import { readFileSync, writeFileSync } from 'node:fs';
import { configMarkdownTable } from '../dist/src/config/config.js';

const path = new URL('../README.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const start = '<!-- config-table:start -->';
const end = '<!-- config-table:end -->';
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a < 0 || b < a) throw new Error('README.md lacks the config-table markers');
writeFileSync(path, `${text.slice(0, a + start.length)}\n${configMarkdownTable()}\n${text.slice(b)}`);
console.log('README.md configuration table updated');
