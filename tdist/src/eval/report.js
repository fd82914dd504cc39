import { EVAL_CHANNELS } from './evalHarness.js';
export function aggregate(runs) {
    const out = {};
    for (const [model, list] of runs) {
        const agg = { seeds: list.map((r) => r.seed), channels: {}, perSeed: {}, std: {} };
        for (const channel of EVAL_CHANNELS) {
            const present = list.filter((r) => r.channels[channel]);
            if (present.length === 0)
                continue;
            agg.channels[channel] = {};
            agg.perSeed[channel] = {};
            agg.std[channel] = {};
            for (const metric of Object.keys(present[0].channels[channel])) {
                const values = present.map((r) => r.channels[channel][metric]);
                const mean = values.reduce((a, b) => a + b, 0) / values.length;
                const variance = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
                agg.channels[channel][metric] = mean;
                agg.perSeed[channel][metric] = values;
                agg.std[channel][metric] = Math.sqrt(variance);
            }
        }
        const times = list.map((r) => r.trainSeconds).filter((t) => t !== undefined);
        if (times.length)
            agg.trainSeconds = times.reduce((a, b) => a + b, 0) / times.length;
        const blends = list.map((r) => r.u2iBlend).filter((b) => b !== undefined);
        if (blends.length)
            agg.u2iBlendPerSeed = blends;
        const priors = list.map((r) => r.priorBeta).filter((b) => b !== undefined);
        if (priors.length)
            agg.priorBetaPerSeed = priors;
        const choices = list.map((r) => r.choices).filter((c) => c !== undefined);
        if (choices.length)
            agg.choicesPerSeed = choices;
        const windows = list[0]?.prequential;
        if (windows) {
            agg.prequential = windows.map((w, i) => ({
                endEvent: w.endEvent,
                hitRate: list.reduce((s, r) => s + (r.prequential?.[i]?.hitRate ?? 0), 0) / list.length,
            }));
        }
        out[model] = agg;
    }
    return out;
}
const fmt = (mean, std) => mean === undefined ? '—' : std ? `${mean.toFixed(4)} ± ${std.toFixed(4)}` : mean.toFixed(4);
export function markdownTable(models, data) {
    const cols = [
        ['U2I R@20', 'u2i', 'recall@20'],
        ['U2I R@20 warm', 'u2i', 'recall@20/warm'],
        ['U2I R@20 cold', 'u2i', 'recall@20/cold'],
        ['U2I NDCG@20', 'u2i', 'ndcg@20'],
        ['U2I R@50', 'u2i', 'recall@50'],
        ['I2I HR@20', 'i2i', 'hr@20'],
        ['U2U R@20', 'u2u', 'recall@20'],
        ['MERGED R@20', 'merged', 'recall@20'],
        ['prequential HR@K', 'prequential', 'hr'],
        ['prequential MERGED HR@K', 'prequential', 'merged/hr'],
    ];
    const lines = [
        `Test users: ${data.testUsers} (${data.coldTestUsers} cold), consecutive I2I test pairs: ${data.testPairs}. Mean ± sample std over seeds.`,
        '',
        `| model | ${cols.map((c) => c[0]).join(' | ')} | U2I user blend | prior beta new/short/medium/long |`,
        `|---|${cols.map(() => '---').join('|')}|---|---|`,
    ];
    for (const [name, m] of Object.entries(models)) {
        lines.push(`| \`${name}\` | ${cols.map(([, ch, metric]) => fmt(m.channels[ch]?.[metric], m.std[ch]?.[metric])).join(' | ')} | ` +
            `${m.u2iBlendPerSeed?.join(' / ') ?? '—'} | ${m.priorBetaPerSeed?.map((b) => Object.values(b).join('/')).join(' ; ') ?? '—'} |`);
    }
    return lines.join('\n');
}
/** Prequential HR@K per user segment at check time (distinct items before the batch: none, 1-4, 5-19, 20+), with the trials. */
export function prequentialSegmentTable(models) {
    const segments = ['new', 'short', 'medium', 'long'];
    const rows = Object.entries(models).filter(([, m]) => m.channels.prequential?.hr !== undefined);
    if (rows.length === 0)
        return '';
    const lines = [
        'Prequential HR@K by user segment (distinct items before the batch: new 0, short 1-4, medium 5-19, long 20+; trials in brackets):',
        '',
        `| model | ${segments.join(' | ')} |`,
        `|---|${segments.map(() => '---').join('|')}|`,
    ];
    for (const [name, m] of rows) {
        const p = m.channels.prequential;
        // The learned models' merged answers are checked too (`merged/` keys): a second row.
        for (const [label, prefix] of [
            [`\`${name}\``, ''],
            [`\`${name}\` merged`, 'merged/'],
        ]) {
            if (p[`${prefix}hr`] === undefined)
                continue;
            const cell = (s) => {
                const hr = p[`${prefix}hr_${s}`];
                return hr === undefined ? '—' : `${hr.toFixed(4)} (${Math.round(p[`${prefix}trials_${s}`] ?? 0)})`;
            };
            lines.push(`| ${label} | ${segments.map(cell).join(' | ')} |`);
        }
    }
    return lines.join('\n');
}
const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];
const esc = (s) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
/** Line chart of the prequential HR@K per model over the stream. */
export function prequentialSvg(models, k) {
    const series = Object.entries(models).filter(([, m]) => m.prequential && m.prequential.length > 0);
    const w = 720;
    const h = 360;
    const pad = { l: 60, r: 150, t: 30, b: 40 };
    const maxX = Math.max(1, ...series.flatMap(([, m]) => m.prequential.map((p) => p.endEvent)));
    const maxY = Math.max(0.01, ...series.flatMap(([, m]) => m.prequential.map((p) => p.hitRate))) * 1.1;
    const x = (v) => pad.l + (v / maxX) * (w - pad.l - pad.r);
    const y = (v) => h - pad.b - (v / maxY) * (h - pad.t - pad.b);
    const parts = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
        `<rect width="${w}" height="${h}" fill="white"/>`,
    ];
    parts.push(`<text x="${pad.l}" y="18" font-size="14">Prequential HR@${k} (test-then-train) over the training stream</text>`);
    parts.push(`<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="black"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" ` +
        `y2="${h - pad.b}" stroke="black"/>`);
    for (let i = 0; i <= 4; i++) {
        const v = (maxY * i) / 4;
        parts.push(`<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text><line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v)}" ` +
            `y2="${y(v)}" stroke="#eee"/>`);
        const xv = (maxX * i) / 4;
        parts.push(`<text x="${x(xv)}" y="${h - pad.b + 16}" text-anchor="middle">${Math.round(xv)}</text>`);
    }
    parts.push(`<text x="${(pad.l + w - pad.r) / 2}" y="${h - 6}" text-anchor="middle">events</text>`);
    series.forEach(([name, m], i) => {
        const color = PALETTE[i % PALETTE.length];
        const pts = m.prequential.map((p) => `${x(p.endEvent).toFixed(1)},${y(p.hitRate).toFixed(1)}`).join(' ');
        parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`);
        parts.push(`<rect x="${w - pad.r + 10}" y="${pad.t + i * 18}" width="12" height="12" fill="${color}"/><text x="${w - pad.r + 28}" ` +
            `y="${pad.t + i * 18 + 10}">${esc(name)}</text>`);
    });
    parts.push('</svg>');
    return parts.join('\n');
}
/** Grouped bars: one group per channel (U2I R@20, I2I HR@20, U2U R@20, MERGED R@20), one bar per model. */
export function ablationSvg(models, order) {
    const metrics = [
        ['U2I Recall@20', 'u2i', 'recall@20'],
        ['I2I HR@20', 'i2i', 'hr@20'],
        ['U2U Recall@20', 'u2u', 'recall@20'],
        ['MERGED Recall@20', 'merged', 'recall@20'],
    ];
    const names = order.filter((n) => models[n]);
    const w = 760;
    const h = 360;
    const pad = { l: 60, r: 150, t: 30, b: 40 };
    const maxY = Math.max(0.01, ...names.flatMap((n) => metrics.map(([, c, m]) => models[n].channels[c]?.[m] ?? 0))) * 1.15;
    const groupW = (w - pad.l - pad.r) / metrics.length;
    const barW = (groupW * 0.8) / Math.max(1, names.length);
    const y = (v) => h - pad.b - (v / maxY) * (h - pad.t - pad.b);
    const parts = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
        `<rect width="${w}" height="${h}" fill="white"/>`,
    ];
    parts.push(`<text x="${pad.l}" y="18" font-size="14">Per-channel quality by model (mean over seeds)</text>`);
    parts.push(`<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="black"/>`);
    for (let i = 0; i <= 4; i++) {
        const v = (maxY * i) / 4;
        parts.push(`<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text><line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v)}" ` +
            `y2="${y(v)}" stroke="#eee"/>`);
    }
    metrics.forEach(([label, c, m], g) => {
        const gx = pad.l + g * groupW + groupW * 0.1;
        names.forEach((n, i) => {
            const v = models[n].channels[c]?.[m];
            if (v === undefined)
                return;
            parts.push(`<rect x="${(gx + i * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW * 0.9).toFixed(1)}" ` +
                `height="${(h - pad.b - y(v)).toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(n)} ${label} ${v.toFixed(4)}</title></rect>`);
        });
        parts.push(`<text x="${pad.l + g * groupW + groupW / 2}" y="${h - pad.b + 16}" text-anchor="middle">${label}</text>`);
    });
    names.forEach((n, i) => parts.push(`<rect x="${w - pad.r + 10}" y="${pad.t + i * 18}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/><text ` +
        `x="${w - pad.r + 28}" y="${pad.t + i * 18 + 10}">${esc(n)}</text>`));
    parts.push('</svg>');
    return parts.join('\n');
}
//# sourceMappingURL=report.js.map