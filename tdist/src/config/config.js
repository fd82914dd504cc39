import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import { PROCESS_KNOBS } from './knobs/processKnobs.js';
import { MODEL_KNOBS } from './knobs/modelKnobs.js';
import { SERVING_KNOBS } from './knobs/servingKnobs.js';
import { KAFKA_KNOBS } from './knobs/kafkaKnobs.js';
import { EVAL_KNOBS } from './knobs/evalKnobs.js';
import { CHECKPOINT_KNOBS } from './knobs/checkpointKnobs.js';
/**
 * Every knob of micstream, in one table: default, flag (--kebab-case), environment variable
 * (MICSTREAM_UPPER_SNAKE) and file key (camelCase) all derive from the name. Precedence:
 * defaults < config file (--config / MICSTREAM_CONFIG, JSON) < environment < flags.
 */
export const KNOBS = {
    ...PROCESS_KNOBS,
    ...MODEL_KNOBS,
    ...SERVING_KNOBS,
    ...KAFKA_KNOBS,
    ...CHECKPOINT_KNOBS,
    ...EVAL_KNOBS,
};
/** Every knob at its default: what a run with no file, environment or flag gets. */
export const DEFAULT_CONFIG = Object.freeze(Object.fromEntries(Object.entries(KNOBS).map(([name, knob]) => [name, knob.default])));
export const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const envName = (name) => `MICSTREAM_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
function coerce(name, knob, raw, origin, problems) {
    const where = `${name} (from ${origin})`;
    const { kind } = knob;
    if (kind === 'int' || kind === 'number') {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
        if (!Number.isFinite(n))
            return void problems.push(`${where}: expected a number, got ${JSON.stringify(raw)}`);
        if (kind === 'int' && !Number.isInteger(n))
            return void problems.push(`${where}: expected an integer, got ${n}`);
        if (knob.min !== undefined && n < knob.min)
            return void problems.push(`${where}: must be >= ${knob.min}, got ${n}`);
        if (knob.max !== undefined && n > knob.max)
            return void problems.push(`${where}: must be <= ${knob.max}, got ${n}`);
        return n;
    }
    if (kind === 'boolean') {
        if (typeof raw === 'boolean')
            return raw;
        if (raw === 'true' || raw === '1')
            return true;
        if (raw === 'false' || raw === '0')
            return false;
        return void problems.push(`${where}: expected true or false, got ${JSON.stringify(raw)}`);
    }
    if (kind === 'string') {
        if (typeof raw !== 'string' || raw.length === 0)
            return void problems.push(`${where}: expected a non-empty string`);
        return raw;
    }
    if (typeof raw !== 'string' || !kind.enum.includes(raw))
        return void problems.push(`${where}: expected one of ${kind.enum.join(', ')}, got ${JSON.stringify(raw)}`);
    return raw;
}
/**
 * Build the frozen Config from defaults, a JSON file, the environment and flags.
 * @throws ConfigError (MICSTREAM_ERR_CONFIG) listing every problem at once.
 */
export function loadConfig({ argv, env }) {
    const problems = [];
    const options = { config: { type: 'string' }, help: { type: 'boolean' } };
    for (const [name, knob] of Object.entries(KNOBS)) {
        options[kebab(name)] = { type: knob.kind === 'boolean' ? 'boolean' : 'string' };
        if (knob.kind === 'boolean')
            options[`no-${kebab(name)}`] = { type: 'boolean' };
    }
    let parsed;
    try {
        parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    }
    catch (err) {
        throw new ConfigError([err instanceof Error ? err.message : String(err)]);
    }
    const flags = parsed.values;
    const values = {};
    const origins = {};
    for (const [name, knob] of Object.entries(KNOBS)) {
        values[name] = knob.default;
        origins[name] = 'default';
    }
    const file = flags.config ?? env.MICSTREAM_CONFIG;
    if (file) {
        let fromFile;
        try {
            fromFile = JSON.parse(readFileSync(file, 'utf8'));
        }
        catch (err) {
            problems.push(`config file ${file}: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (fromFile !== undefined) {
            if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile))
                problems.push(`config file ${file}: must hold a JSON object`);
            else
                for (const [key, raw] of Object.entries(fromFile)) {
                    if (!(key in KNOBS)) {
                        problems.push(`config file ${file}: unknown key "${key}"`);
                        continue;
                    }
                    const v = coerce(key, KNOBS[key], raw, `file ${file}`, problems);
                    if (v !== undefined)
                        [values[key], origins[key]] = [v, 'file'];
                }
        }
    }
    for (const [name, knob] of Object.entries(KNOBS)) {
        const raw = env[envName(name)];
        if (raw === undefined || raw === '')
            continue;
        const v = coerce(name, knob, raw, `env ${envName(name)}`, problems);
        if (v !== undefined)
            [values[name], origins[name]] = [v, 'env'];
    }
    for (const [name, knob] of Object.entries(KNOBS)) {
        const flag = kebab(name);
        let raw = flags[flag];
        if (knob.kind === 'boolean' && flags[`no-${flag}`])
            raw = false;
        if (raw === undefined)
            continue;
        const v = coerce(name, knob, raw, `flag --${flag}`, problems);
        if (v !== undefined)
            [values[name], origins[name]] = [v, 'flag'];
    }
    if ([values.mergedU2iWeight, values.mergedU2uWeight, values.mergedI2iWeight].every((w) => w === 0))
        problems.push('merged recall: at least one of --merged-u2i-weight, --merged-u2u-weight, --merged-i2i-weight must be > 0');
    if (problems.length > 0)
        throw new ConfigError(problems);
    return { config: Object.freeze(values), positionals: parsed.positionals, help: Boolean(flags.help), origins };
}
/** A knob's value for display: secrets are redacted whatever their value. */
function shown(name, value) {
    return KNOBS[name].secret && value !== undefined ? '[redacted]' : value;
}
/** Every knob's value and where it came from, secrets redacted: the startup record of the structured log. */
export function configForLog(loaded) {
    const out = {};
    for (const name of Object.keys(KNOBS))
        out[name] = { value: shown(name, loaded.config[name]) ?? null, origin: loaded.origins[name] };
    return out;
}
/** One line per knob, for printing at start (values that differ from the default are marked; secrets redacted). */
export function describeConfig(loaded) {
    const lines = Object.keys(KNOBS).map((name) => {
        const origin = loaded.origins[name];
        const value = shown(name, loaded.config[name]);
        return `  ${name.padEnd(24)} ${String(value ?? '-').padEnd(14)}${origin === 'default' ? '' : ` (${origin})`}`;
    });
    return `config:\n${lines.join('\n')}`;
}
/** Help text for the flags: `--kebab-name  description (default; env)`. */
export function flagHelp() {
    return Object.entries(KNOBS)
        .map(([name, knob]) => {
        const kind = typeof knob.kind === 'string' ? knob.kind : knob.kind.enum.join('|');
        const def = knob.default === undefined ? '' : ` [default ${String(knob.default)}]`;
        return `  --${kebab(name).padEnd(26)} ${kind.padEnd(10)} ${knob.description}${def}\n  ${''.padEnd(28)}env ${envName(name)}`;
    })
        .join('\n');
}
/** The configuration table of README.md / OPERATIONS.md, generated so that it cannot drift. */
export function configMarkdownTable() {
    const rows = Object.entries(KNOBS).map(([name, knob]) => {
        const kind = typeof knob.kind === 'string' ? knob.kind : knob.kind.enum.join(' \\| ');
        return (`| \`--${kebab(name)}\` | \`${envName(name)}\` | ${kind} | ${knob.default === undefined ? '—' : `\`${String(knob.default)}\``} | ` +
            `${knob.description} |`);
    });
    return ['| flag | env | type | default | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
//# sourceMappingURL=config.js.map