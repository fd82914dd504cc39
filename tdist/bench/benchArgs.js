/**
 * The flags of a bench that takes positive integers and `--write FILE`: `--name value` for each key
 * of `defaults` (camelCase keys are kebab-case flags). An unknown flag, a missing value or a value
 * that is not a positive integer throws with the flag's name.
 */
export function positiveIntArgs(argv, defaults) {
    const out = { ...defaults };
    const byFlag = new Map(Object.keys(defaults).map((k) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, k]));
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[++i];
        if (value === undefined)
            throw new Error(`${flag} needs a value`);
        if (flag === '--write') {
            out.write = value;
            continue;
        }
        const key = byFlag.get(flag);
        if (!key)
            throw new Error(`unknown argument ${flag}`);
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1)
            throw new Error(`${flag} must be a positive integer`);
        out[key] = n;
    }
    return out;
}
/**
 * `positiveIntArgs` over the flags before a `--`, and the flags after it as they are (for the
 * `micstream train` a bench starts: `... -- --seen-items-per-user 100`).
 */
export function argsWithTrainFlags(argv, defaults) {
    const split = argv.indexOf('--');
    return {
        args: positiveIntArgs(split >= 0 ? argv.slice(0, split) : argv, defaults),
        trainFlags: split >= 0 ? argv.slice(split + 1) : [],
    };
}
//# sourceMappingURL=benchArgs.js.map